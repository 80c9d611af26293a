import { createServer, type Server, type Socket } from 'node:net';
import type { HostSettings } from '@slm/core';
import { encodeError, responseSigner } from '@slm/kms-protocol';
import type { HostContext } from '../activation.js';
import type { CountingStore } from '../counting/store.js';
import type { HostIdentity } from '../identity.js';
import type { Logger } from '../log.js';
import { type ConnectionLimits, type HostObserver, serveConnection } from './connection.js';

/** How to run a volume host. */
export interface HostOptions {
  readonly identity: HostIdentity;
  readonly store: CountingStore;
  readonly settings: HostSettings;
  readonly maintenance?: boolean | undefined;
  /** Addresses to listen on; the first one fixes the port for the others. */
  readonly addresses?: readonly string[] | undefined;
  /** Overrides settings.port (tests pass 0). */
  readonly port?: number | undefined;
  readonly clock?: (() => number) | undefined;
  readonly log: Logger;
  readonly limits?: Partial<HostLimits> | undefined;
  readonly observer?: HostObserver | undefined;
}

/** Bounds that keep one host safe from slow, idle or too many clients. */
export interface HostLimits extends ConnectionLimits {
  readonly maxConnections: number;
}

export const DEFAULT_LIMITS: HostLimits = {
  idleTimeoutMs: 30_000,
  frameTimeoutMs: 10_000,
  maxConnections: 2_000,
};

/** Every address family a host tries; a missing one is a warning. */
export const ALL_ADDRESSES = ['0.0.0.0', '::'] as const;

// What listening on an address family the machine does not have fails with.
const MISSING_FAMILY = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EPROTONOSUPPORT']);

/** A running host. */
export interface RunningHost {
  readonly port: number;
  /** The addresses actually listened on. */
  readonly addresses: readonly string[];
  readonly context: HostContext;
  openConnections(): number;
  close(): Promise<void>;
}

/** Starts listening; resolves once every address that can be bound is bound. */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const context: HostContext = {
    identity: options.identity,
    store: options.store,
    settings: options.settings,
    maintenance: options.maintenance ?? false,
  };
  const sockets = new Set<Socket>();
  const deps = {
    ctx: context,
    signer: responseSigner(options.identity.hostPrivateKeyPem),
    clock: options.clock ?? Date.now,
    log: options.log,
    limits,
    observer: options.observer ?? {},
  };
  let nextId = 1;
  const onConnection = (socket: Socket) => {
    if (sockets.size >= limits.maxConnections) return refuseBusy(socket, options.log);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, nextId++, deps);
  };
  const { servers, port, addresses } = await listenAll(options, onConnection);
  return {
    port,
    addresses,
    context,
    openConnections: () => sockets.size,
    close: () => closeAll(servers, sockets),
  };
}

function refuseBusy(socket: Socket, log: Logger): void {
  log.warn('connection refused', { problem: 'busy' });
  socket.on('error', () => socket.destroy());
  socket.end(encodeError('busy', 'the host has too many open connections; try again'));
  socket.destroySoon();
}

async function listenAll(
  options: HostOptions,
  onConnection: (socket: Socket) => void,
): Promise<{ servers: Server[]; port: number; addresses: string[] }> {
  let port = options.port ?? options.settings.port;
  const servers: Server[] = [];
  const addresses: string[] = [];
  for (const address of options.addresses ?? ALL_ADDRESSES) {
    const server = createServer({ noDelay: true, allowHalfOpen: true }, onConnection);
    const bound = await listen(server, address, port);
    if (bound instanceof Error) {
      if (!MISSING_FAMILY.has((bound as NodeJS.ErrnoException).code ?? '')) {
        // Release what was bound, so a host that cannot start also does not linger.
        await closeAll(servers, new Set());
        throw bound;
      }
      options.log.warn('address family unavailable', { address, message: bound.message });
      continue;
    }
    port = bound;
    servers.push(server);
    addresses.push(address);
  }
  if (servers.length === 0) throw new Error(`could not listen on port ${port} at any address`);
  return { servers, port, addresses };
}

function listen(server: Server, host: string, port: number): Promise<number | Error> {
  return new Promise((resolve) => {
    server.once('error', (error) => resolve(error));
    // ipv6Only lets "::" and "0.0.0.0" share one port as two listeners.
    server.listen({ host, port, ipv6Only: host.includes(':'), backlog: 1024 }, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

async function closeAll(servers: Server[], sockets: Set<Socket>): Promise<void> {
  const closed = servers.map((server) => new Promise<void>((done) => server.close(() => done())));
  for (const socket of sockets) socket.destroy();
  await Promise.all(closed);
}
