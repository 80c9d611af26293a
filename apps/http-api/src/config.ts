import { z } from 'zod';
import { readVendorJson } from './vendor/files.js';

const bucketSchema = z.object({
  /** Requests allowed at once before the rate applies. */
  burst: z.number().int().min(1).max(1_000_000),
  perMinute: z.number().int().min(1).max(60_000_000),
});

/** An address machines reach the service at: only http: and https: make sense there. */
export const httpUrlSchema = z.url({
  protocol: /^https?$/,
  error: 'expected an http: or https: URL, such as https://activation.example.com',
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
  publicUrl: httpUrlSchema,
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

/** Reads and validates a config file; the error names the file and its first bad field. */
export async function loadConfig(file: string): Promise<ServiceConfig> {
  const parsed = parseConfig(await readVendorJson(file));
  if (parsed.ok) return parsed.value;
  throw new Error(`${file}: ${parsed.problem}`);
}

/** Validates a config; a refusal names the first bad field ("publicUrl: expected …"). */
export function parseConfig(
  input: unknown,
): { ok: true; value: ServiceConfig } | { ok: false; problem: string; field: string } {
  const parsed = configSchema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || 'config';
  return { ok: false, problem: `${field}: ${issue?.message ?? 'invalid'}`, field };
}

/** Tells whether a listen address is this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}
