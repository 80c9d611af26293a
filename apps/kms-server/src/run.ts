import { startPublisher } from './dns/publisher.js';
import { batchedWriter, jsonLogger } from './log.js';
import type { Io } from './main.js';
import { startMetrics } from './metrics.js';
import { listenFailure } from './runtime/listen-errors.js';
import { startRuntime } from './runtime/runtime.js';

/** The options of `slm-kms run`. */
export interface RunFlags {
  readonly home: string;
  readonly listen: string;
  readonly port?: number;
  readonly metricsPort?: number;
  readonly maintenance?: boolean;
  readonly idleTimeout: number;
  readonly frameTimeout: number;
  readonly maxConnections: number;
  readonly dnsServer?: string;
  readonly dnsDomain?: string;
  readonly dnsName?: string;
  readonly tsigKey?: string;
  readonly dnsPriority?: number;
  readonly dnsWeight?: number;
}

/** Runs the host until SIGTERM or SIGINT; SIGHUP reloads settings. Resolves to the exit status. */
export async function runHost(flags: RunFlags, io: Io): Promise<number> {
  const output = batchedWriter(io.out);
  const log = jsonLogger(output.write);
  const metrics =
    flags.metricsPort === undefined
      ? null
      : await startMetrics(flags.metricsPort, log).catch((error: unknown) => {
          throw listenFailure(error, 'stop what uses it, or give another --metrics-port');
        });
  const runtime = await startRuntime({
    home: flags.home,
    addresses: flags.listen
      .split(',')
      .map((address) => address.trim())
      .filter(Boolean),
    port: flags.port,
    maintenance: flags.maintenance,
    limits: {
      idleTimeoutMs: flags.idleTimeout,
      frameTimeoutMs: flags.frameTimeout,
      maxConnections: flags.maxConnections,
    },
    log,
    observer: metrics?.observer,
  }).catch(async (error: unknown) => {
    // A host that cannot start must not linger serving metrics.
    await metrics?.close();
    throw error;
  });
  metrics?.attach(runtime);
  const publisher = startPublisher(runtime, flags, log);
  await untilStopped(() => {
    runtime.reload();
  });
  publisher.stop();
  await runtime.stop();
  await metrics?.close();
  output.flush();
  return 0;
}

function untilStopped(reload: () => void): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGHUP', reload);
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGHUP', reload);
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
