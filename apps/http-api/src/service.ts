import { readFile, stat } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { serve } from '@hono/node-server';
import { isLoopbackHost, loadConfig, type ServiceConfig } from './config.js';
import { openVendorDb } from './db/open.js';
import { createApp } from './http/app.js';
import type { AppDeps, LogWriter } from './http/env.js';
import { RateLimiter } from './http/middleware/rate-limit.js';
import { titleOf } from './http/problem.js';
import { CatalogState } from './vendor/catalogs.js';
import { loadSecrets, type VendorPaths, VendorUsageError, vendorPaths } from './vendor/files.js';
import { hostForUrl } from './vendor/init.js';
import { createSigner, defaultSigningThreads } from './vendor/signer.js';

export interface ServeOptions {
  readonly port?: number | undefined;
  readonly host?: string | undefined;
  readonly log: LogWriter;
}

/** A running activation service. */
export interface RunningService {
  readonly url: string;
  readonly deps: AppDeps;
  close(): Promise<void>;
}

/** A command was pointed at a folder that holds no vendor: a usage error. */
export class NotAVendorFolder extends VendorUsageError {
  override readonly name = 'NotAVendorFolder';
}

/** Opens a vendor directory into the app's dependencies: config, secrets, database, catalog. */
export async function openVendor(dir: string, log: LogWriter) {
  const paths = vendorPaths(dir);
  await requireVendorFolder(paths);
  const config = await loadConfig(paths.config);
  const secrets = await loadSecrets(paths);
  const vdb = await openVendorDb(paths.database);
  const catalogs = new CatalogState();
  await catalogs.load(vdb.db, secrets.publicKey);
  const threads = config.signingThreads ?? defaultSigningThreads();
  const deps: AppDeps = {
    vdb,
    secrets,
    signer: createSigner(secrets.privateKeyPem, threads),
    catalogs,
    now: Date.now,
    log,
    limits: {
      perAddress: new RateLimiter(config.rateLimit.perAddress),
      perKey: new RateLimiter(config.rateLimit.perKey),
    },
    tls: config.tls !== null,
    logRequests: config.logRequests,
  };
  return { config, paths, deps };
}

// A folder that has its config but not its database has lost its keys; starting on a fresh,
// empty database would hide that, so only init ever creates one.
async function requireVendorFolder(paths: VendorPaths): Promise<void> {
  const { dir } = paths;
  const config = await statCode(paths.config);
  if (config === 'EACCES' || config === 'EPERM') {
    throw new NotAVendorFolder(`${dir}: permission denied, so its config.json cannot be read`);
  }
  if (config !== null) {
    throw new NotAVendorFolder(
      `${dir} is not a vendor folder (no config.json): create one with slm-api init ${dir}`,
    );
  }
  if ((await statCode(paths.database)) === 'ENOENT') {
    throw new NotAVendorFolder(
      `${paths.database} is missing: ${dir} has a vendor's config but not its database of ` +
        'keys, activations and tokens; restore it from a backup (only slm-api init makes a new one)',
    );
  }
}

async function statCode(file: string): Promise<string | null> {
  return stat(file).then(
    () => null,
    (error: NodeJS.ErrnoException) => error.code ?? 'EIO',
  );
}

/** Serves a vendor directory; listens on loopback unless the config or options say otherwise. */
export async function startService(dir: string, options: ServeOptions): Promise<RunningService> {
  const { config, deps } = await openVendor(dir, options.log);
  const host = options.host ?? config.listen.host;
  const port = options.port ?? config.listen.port;
  warnIfExposed(config, host, options.log);

  const app = createApp(deps);
  const tls = await tlsOptions(config);
  const server = serve({
    fetch: app.fetch,
    port,
    hostname: host,
    ...(tls === null ? {} : { createServer: createHttpsServer, serverOptions: tls }),
  });
  server.on('clientError', answerUnreadable);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });

  const actual = (server.address() as AddressInfo).port;
  const url = `${tls === null ? 'http' : 'https'}://${hostForUrl(host)}:${actual}`;
  return { url, deps, close: () => closeServer(server, deps) };
}

// Node answers a request it cannot parse (headers over its 16 KiB limit, bad framing) itself,
// with an empty body; it gets a problem document like every other error.
function answerUnreadable(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const code = tooLarge ? 'http.headers_too_large' : 'http.bad_request';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify({
    type: `https://slm.invalid/problems/${code}`,
    title: titleOf(code),
    status,
    code,
    detail: tooLarge
      ? 'the request line and headers are over 16 KiB'
      : 'the request is not readable HTTP/1.1',
  });
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      'Content-Type: application/problem+json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

async function tlsOptions(config: ServiceConfig) {
  if (config.tls === null) return null;
  return { cert: await readFile(config.tls.certFile), key: await readFile(config.tls.keyFile) };
}

function warnIfExposed(config: ServiceConfig, host: string, log: LogWriter): void {
  if (config.tls !== null || isLoopbackHost(host)) return;
  log(
    JSON.stringify({
      time: new Date().toISOString(),
      level: 'warn',
      msg: 'plain http on a non-loopback address',
      host,
      detail: 'administration accepts tokens only from this machine until tls is configured',
    }),
  );
}

async function closeServer(server: ReturnType<typeof serve>, deps: AppDeps): Promise<void> {
  if ('closeAllConnections' in server) server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await deps.signer.close();
  await deps.vdb.close();
}
