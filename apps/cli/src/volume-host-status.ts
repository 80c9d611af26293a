import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LICENCE_STATES, type LicenceStateName } from '@slm/core/status';
import type { Machine } from './machine.js';
import { STATE_LABELS } from './product-info.js';

/** The host's status file, written by `slm-kms` in the store home every second while it runs. */
export function hostStatusPath(home: string): string {
  return join(home, 'volume-host', 'status.json');
}

/**
 * How long the status file may go without a refresh (the host rewrites it every second) before
 * the host is taken for gone: killed, its machine restarted, or hung.
 */
export const STALE_AFTER_MS = 30_000;

/** What `/dlv` shows of the volume host running on this machine; null when it has not run. */
export type HostStatusInfo = NonNullable<ReturnType<typeof hostStatusInfo>>;

interface StatusFile {
  readonly pid: number;
  readonly running: boolean;
  readonly startedAt: number;
  readonly updatedAt: number;
  readonly port: number;
  readonly addresses: readonly string[];
  readonly settings: {
    readonly dnsPublishing: boolean;
    readonly lowPriority: boolean;
    readonly port?: number;
  };
  readonly maintenance: boolean;
  readonly counts: Readonly<Record<string, number>>;
  readonly counters: Readonly<Record<string, number>>;
  readonly dns: { readonly at: number; readonly ok: boolean; readonly message: string } | null;
}

/**
 * Reads the status file; a missing or unreadable one means the host has not run here. Counts and
 * counters are the last the host recorded, even when it has stopped.
 */
export function hostStatusInfo(home: string, machine: Machine, now: number) {
  const file = readStatusFile(home);
  if (file === null) return null;
  const counter = (name: string) => file.counters[name] ?? 0;
  const state = hostState(file, now);
  return {
    running: state === 'running',
    stoppedUnexpectedly: state === 'stopped_unexpectedly',
    pid: file.pid,
    startedAt: new Date(file.startedAt).toISOString(),
    updatedAt: new Date(file.updatedAt).toISOString(),
    port: file.port,
    /** The /sprt port the host read when it started; another `port` means `--port`. */
    portSetting: file.settings.port ?? null,
    addresses: file.addresses,
    dnsPublishing: file.settings.dnsPublishing,
    lowPriority: file.settings.lowPriority,
    maintenance: file.maintenance,
    counts: Object.entries(file.counts).map(([productId, count]) => ({
      productId,
      name: productNameOf(machine, productId),
      count,
    })),
    lastDnsPublishing:
      file.dns === null ? null : { ...file.dns, at: new Date(file.dns.at).toISOString() },
    requests: {
      total: counter('requests'),
      activated: counter('outcome.activated'),
      belowThreshold: counter('outcome.below_threshold'),
      refused: counter('outcome.refused'),
      refusedByReason: prefixed(file.counters, 'refused.'),
      duplicates: counter('duplicates'),
      byLicenceState: Object.fromEntries(
        Object.entries(LICENCE_STATES).map(([state, code]) => [
          state,
          counter(`licence_state.${code}`),
        ]),
      ) as Record<LicenceStateName, number>,
    },
  };
}

/** The text lines of the host block. */
export function hostStatusLines(home: string, info: HostStatusInfo | null): string[] {
  if (info === null) {
    return [`Volume activation host: has not run yet (no ${hostStatusPath(home)})`];
  }
  const { requests } = info;
  return [
    'Volume activation host:',
    `    Status: ${statusText(info)}`,
    `    Listening on: ${info.addresses.join(', ')} port ${info.port}`,
    ...countLines(info),
    `    DNS publishing: ${info.dnsPublishing ? 'enabled' : 'disabled'}${dnsResult(info)}`,
    `    Priority: ${info.lowPriority ? 'low' : 'normal'}`,
    ...(info.maintenance ? ['    Maintenance: on (every activation is refused)'] : []),
    `    Total requests received: ${requests.total}`,
    `    Activated: ${requests.activated}; below threshold: ${requests.belowThreshold}; failed (refused): ${requests.refused}${reasons(requests.refusedByReason)}`,
    `    Requests by client licence state: ${byState(requests.byLicenceState)}`,
    `    Cloned client machine IDs seen: ${requests.duplicates}`,
  ];
}

function statusText(info: HostStatusInfo): string {
  if (info.running)
    return `running (pid ${info.pid}) since ${info.startedAt}, as of ${info.updatedAt}`;
  if (info.stoppedUnexpectedly) {
    return `not running (stopped unexpectedly; last seen ${info.updatedAt})`;
  }
  return `stopped, as of ${info.updatedAt}`;
}

function byState(counts: Record<LicenceStateName, number>): string {
  const entries = Object.entries(counts) as [LicenceStateName, number][];
  return entries.map(([state, count]) => `${STATE_LABELS[state]} ${count}`).join(', ');
}

function countLines(info: HostStatusInfo): string[] {
  if (info.counts.length === 0) return ['    Current count: 0 (no client has asked yet)'];
  return info.counts.map(({ name, count }) => `    Current count (${name}): ${count}`);
}

function dnsResult(info: HostStatusInfo): string {
  const last = info.lastDnsPublishing;
  if (last === null) return info.dnsPublishing ? ' (not published yet)' : '';
  return ` (last ${last.ok ? 'published' : 'failed'} at ${last.at}: ${last.message})`;
}

function reasons(byReason: Readonly<Record<string, number>>): string {
  const entries = Object.entries(byReason);
  if (entries.length === 0) return '';
  return ` (${entries.map(([reason, count]) => `${reason} ${count}`).join(', ')})`;
}

function prefixed(counters: Readonly<Record<string, number>>, prefix: string) {
  return Object.fromEntries(
    Object.entries(counters)
      .filter(([name]) => name.startsWith(prefix))
      .map(([name, count]) => [name.slice(prefix.length), count]),
  );
}

function productNameOf(machine: Machine, productId: string): string {
  const products = machine.catalogs.flatMap((catalog) => catalog.products);
  return products.find((product) => product.productId === productId)?.name ?? productId;
}

function readStatusFile(home: string): StatusFile | null {
  try {
    const parsed = JSON.parse(readFileSync(hostStatusPath(home), 'utf8')) as StatusFile;
    const complete =
      typeof parsed.port === 'number' &&
      typeof parsed.counters === 'object' &&
      typeof parsed.counts === 'object' &&
      typeof parsed.settings === 'object';
    return complete ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * The file says "running" until the host stops; a host that was killed leaves it so. Its process
 * being gone or the file going stale (a host killed without its process being reaped, a pid used
 * again, a hung host) both mean it is not running.
 */
function hostState(file: StatusFile, now: number): 'running' | 'stopped' | 'stopped_unexpectedly' {
  if (!file.running) return 'stopped';
  const fresh = now - file.updatedAt <= STALE_AFTER_MS;
  return fresh && alive(file.pid) ? 'running' : 'stopped_unexpectedly';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
