import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import type { HostSettings } from '@slm/core';
import { extendedProductId } from '../activation.js';
import { CountingStore } from '../counting/store.js';
import { KmsError } from '../errors.js';
import { identityPath, loadHostIdentity } from '../identity.js';
import type { Logger } from '../log.js';
import type { HostObserver } from '../server/connection.js';
import { type HostLimits, type RunningHost, startHost } from '../server/server.js';
import { loadHostSettings } from '../settings.js';
import { listenFailure } from './listen-errors.js';
import { claimHome, releaseHome } from './pid.js';
import { hostFolder, inHostFolder, type PublishStatus, statusPath, writeStatus } from './status.js';

/** How often the counting store's write-ahead log is checkpointed, on a thread of its own. */
const CHECKPOINT_EVERY_MS = 100;

/** How the binary runs a host out of a machine store home. */
export interface RuntimeOptions {
  readonly home: string;
  readonly addresses?: readonly string[] | undefined;
  /** Overrides the `/sprt` port. */
  readonly port?: number | undefined;
  readonly maintenance?: boolean | undefined;
  readonly limits?: Partial<HostLimits> | undefined;
  readonly log: Logger;
  readonly observer?: HostObserver | undefined;
  /** How often the status file for `/dlv` is refreshed while requests come in. */
  readonly statusEveryMs?: number | undefined;
}

/** A host started from a store home: reload applies new settings, stop shuts it down. */
export interface Runtime {
  readonly host: RunningHost;
  readonly store: CountingStore;
  settings(): HostSettings;
  reload(): void;
  setDnsStatus(status: PublishStatus): void;
  onSettings(listener: (settings: HostSettings) => void): void;
  stop(): Promise<void>;
}

/** The flag file that `slm-kms maintenance on` creates. */
export function maintenancePath(home: string): string {
  return join(hostFolder(home), 'maintenance');
}

/** Turns maintenance on or off for the next start or reload; refuses a home with no host. */
export function setMaintenanceFlag(home: string, on: boolean): void {
  if (!existsSync(identityPath(home))) {
    throw new KmsError(
      'home.not_volume_host',
      `${home} is not a volume host's store: ${identityPath(home)} is missing ` +
        '(slmgr /ipk HOSTKEY and slmgr /ato make it; give the right one with --home or $SLM_HOME)',
    );
  }
  inHostFolder(home, () => {
    if (on) writeFileSync(maintenancePath(home), 'on\n');
    else rmSync(maintenancePath(home), { force: true });
  });
}

/** Starts a host; throws an SlmError that says why when the machine cannot be a volume host. */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { home, log } = options;
  const identity = loadHostIdentity(home, Date.now());
  if (!identity.ok) throw identity.error;
  const settings = loadHostSettings(home, Date.now());
  if (!settings.ok) throw settings.error;
  inHostFolder(home, () => claimHome(home));
  const store = openStore(home, log);
  applyPriority(settings.value, log);
  const host = await startHost({
    identity: identity.value,
    store,
    settings: settings.value,
    maintenance: maintenanceWanted(options),
    addresses: options.addresses,
    port: options.port,
    log,
    limits: options.limits,
    observer: options.observer,
  }).catch(async (error: unknown) => {
    await store.close();
    releaseHome(home);
    throw listenFailure(error);
  });
  return runtimeAround(options, host, store);
}

function openStore(home: string, log: Logger): CountingStore {
  const path = join(hostFolder(home), 'counts.db');
  warnIfCountsLost(home, path, log);
  try {
    return new CountingStore(path, {
      checkpointEveryMs: CHECKPOINT_EVERY_MS,
      onCheckpointFailure: (message) => log.warn('background checkpoints stopped', { message }),
    });
  } catch (error) {
    releaseHome(home);
    throw storeFailure(path, error);
  }
}

/**
 * A host that has counted before (its status says so) but finds no counts.db starts from zero:
 * say so, since clients activated before will not count until they renew.
 */
function warnIfCountsLost(home: string, path: string, log: Logger): void {
  if (existsSync(path)) return;
  let before: { counts?: Record<string, number> } | null = null;
  try {
    before = JSON.parse(readFileSync(statusPath(home), 'utf8'));
  } catch {
    return;
  }
  const counted = Object.values(before?.counts ?? {}).reduce((sum, n) => sum + n, 0);
  if (counted === 0) return;
  log.warn('counts start again', {
    file: path,
    message: `${path} is missing though the host counted ${counted} client machines before: counting starts from zero and rises again as clients renew`,
  });
}

// The file is left as it is: it may be wanted to see what happened, and counts come back anyway.
function storeFailure(path: string, error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'SQLITE_NOTADB' && code !== 'SQLITE_CORRUPT') return error;
  return new KmsError(
    'home.counts_corrupt',
    `the counting database ${path} is damaged (${(error as Error).message}): move it aside ` +
      '(with its -wal and -shm files, if any) and start slm-kms again; ' +
      'the counts rebuild as client machines renew their activation',
  );
}

function runtimeAround(options: RuntimeOptions, host: RunningHost, store: CountingStore): Runtime {
  const startedAt = Date.now();
  let dns: PublishStatus | null = null;
  const listeners: ((settings: HostSettings) => void)[] = [];
  // A status that cannot be written (the folder made read-only, a full disk) must not stop a
  // host that can still answer: it is logged once per distinct problem, and tried again.
  let lastProblem: string | null = null;
  const status = (running: boolean) => {
    try {
      writeCurrentStatus(running);
      lastProblem = null;
    } catch (error) {
      const message = (error as Error).message;
      if (message === lastProblem) return;
      lastProblem = message;
      options.log.error('status not written', {
        folder: hostFolder(options.home),
        message,
        fix: 'let the user running slm-kms write to that folder; /dlv shows the last status',
      });
    }
  };
  const writeCurrentStatus = (running: boolean) => {
    store.flush();
    writeStatus(options.home, {
      pid: process.pid,
      running,
      startedAt,
      updatedAt: Date.now(),
      port: host.port,
      addresses: host.addresses,
      settings: host.context.settings,
      maintenance: host.context.maintenance,
      extendedProductId: extendedProductId(host.context.identity),
      counts: store.families(Date.now()),
      counters: store.counters(),
      dns,
    });
  };
  const timers = housekeeping(options, store, () => status(true));
  status(true);
  options.log.info('host started', {
    port: host.port,
    addresses: host.addresses.join(','),
    maintenance: host.context.maintenance,
    lowPriority: host.context.settings.lowPriority,
    pid: process.pid,
  });
  return {
    host,
    store,
    settings: () => host.context.settings,
    reload: () => {
      reload(options, host);
      for (const listener of listeners) listener(host.context.settings);
      status(true);
    },
    setDnsStatus: (next) => {
      dns = next;
      status(true);
    },
    onSettings: (listener) => listeners.push(listener),
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      await host.close();
      status(false);
      await store.close();
      releaseHome(options.home);
      options.log.info('host stopped', { port: host.port });
    },
  };
}

/** Re-reads settings and the maintenance flag; the port only changes on restart. */
function reload(options: RuntimeOptions, host: RunningHost): void {
  const settings = loadHostSettings(options.home, Date.now());
  if (!settings.ok) {
    options.log.error('reload failed', {
      code: settings.error.code,
      message: settings.error.message,
    });
    return;
  }
  const before = host.context.settings;
  host.context.settings = settings.value;
  host.context.maintenance = maintenanceWanted(options);
  if (settings.value.lowPriority !== before.lowPriority) applyPriority(settings.value, options.log);
  if (settings.value.port !== host.port && options.port === undefined) {
    options.log.warn('port change waits for a restart', {
      port: host.port,
      configured: settings.value.port,
    });
  }
  options.log.info('settings reloaded', {
    activationInterval: settings.value.activationInterval,
    renewalInterval: settings.value.renewalInterval,
    dnsPublishing: settings.value.dnsPublishing,
    lowPriority: settings.value.lowPriority,
    maintenance: host.context.maintenance,
  });
}

function housekeeping(options: RuntimeOptions, store: CountingStore, refresh: () => void) {
  const status = setInterval(refresh, options.statusEveryMs ?? 1_000);
  // Pruning is incremental so that a host with a huge history never blocks for long.
  const prune = setInterval(() => {
    try {
      store.prune(Date.now());
    } catch (error) {
      options.log.error('pruning failed', { message: (error as Error).message });
    }
  }, 3_600_000);
  status.unref();
  prune.unref();
  return [status, prune];
}

/** `/cpri` asks for a low process priority (nice 10); `/spri` for normal (nice 0). */
function applyPriority(settings: HostSettings, log: Logger): void {
  const wanted = settings.lowPriority ? 10 : 0;
  try {
    setPriority(0, wanted);
  } catch (error) {
    log.warn('priority unchanged', { wanted, message: (error as Error).message });
  }
}

function maintenanceWanted(options: RuntimeOptions): boolean {
  return options.maintenance === true || existsSync(maintenancePath(options.home));
}
