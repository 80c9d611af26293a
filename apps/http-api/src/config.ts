import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const bucketSchema = z.object({
  /** Requests allowed at once before the rate applies. */
  burst: z.number().int().min(1).max(1_000_000),
  perMinute: z.number().int().min(1).max(60_000_000),
});

/** DIR/config.json, parsed and validated once at start-up. */
export const configSchema = z.object({
  listen: z
    .object({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(0).max(65_535).default(8470),
    })
    .default({ host: '127.0.0.1', port: 8470 }),
  /** The address machines reach the service at; the catalog publishes it as serviceUrl. */
  publicUrl: z.url(),
  tls: z
    .object({ certFile: z.string().min(1), keyFile: z.string().min(1) })
    .nullable()
    .default(null),
  rateLimit: z
    .object({ perAddress: bucketSchema, perKey: bucketSchema })
    .default({ perAddress: { burst: 120, perMinute: 600 }, perKey: { burst: 10, perMinute: 30 } }),
  logRequests: z.boolean().default(true),
  /** Threads that sign grants; 0 signs on the event loop. Unset: the spare cores, up to 4. */
  signingThreads: z.number().int().min(0).max(64).optional(),
});

export type ServiceConfig = z.output<typeof configSchema>;
export type ServiceConfigInput = z.input<typeof configSchema>;

/** Reads and validates a config file; the error names the first bad field. */
export async function loadConfig(file: string): Promise<ServiceConfig> {
  const text = await readFile(file, 'utf8');
  const parsed = configSchema.safeParse(JSON.parse(text));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.') || 'config';
  throw new Error(`${file}: ${where}: ${issue?.message ?? 'invalid'}`);
}

/** Tells whether a listen address is this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}
