import { promises as dns } from 'node:dns';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import type { SrvRecord } from './srv.js';

/** Which DNS server discovery asks, and which domains it searches when none is configured. */
export interface DnsOptions {
  /** DNS servers as `ip` or `ip:port` (`[v6]:port`); the system's when absent. */
  readonly servers?: readonly string[] | undefined;
  /** The machine's DNS domain and search list; read from /etc/resolv.conf when absent. */
  readonly searchList?: readonly string[] | undefined;
  /** How long one DNS query may take. */
  readonly timeoutMs?: number | undefined;
}

/** Looks up SRV records and host addresses through one resolver. */
export interface HostResolver {
  srv(name: string): Promise<SrvRecord[]>;
  addresses(name: string): Promise<string[]>;
}

/** A resolver on the configured servers (or the system's). */
export function createResolver(options: DnsOptions = {}): HostResolver {
  const resolver = new dns.Resolver({ timeout: options.timeoutMs ?? 2_000, tries: 2 });
  const custom = options.servers !== undefined && options.servers.length > 0;
  if (custom) resolver.setServers([...(options.servers ?? [])]);
  return {
    srv: async (name) => (await resolver.resolveSrv(name)).map((record) => ({ ...record })),
    addresses: (name) => (custom ? resolveWith(resolver, name) : lookupSystem(name)),
  };
}

/** The machine's DNS domain and search list: resolv.conf `search`/`domain`, else the FQDN's. */
export function systemSearchList(resolvConf = '/etc/resolv.conf'): string[] {
  const fromFile = readSearchLines(resolvConf);
  if (fromFile.length > 0) return fromFile;
  const name = hostname();
  const dot = name.indexOf('.');
  return dot > 0 ? [name.slice(dot + 1)] : [];
}

async function resolveWith(resolver: dns.Resolver, name: string): Promise<string[]> {
  if (isIP(name) !== 0) return [name];
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
  const found = [v4, v6].flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
  if (found.length > 0) return found;
  throw Object.assign(new Error(`${name} did not resolve`), { code: 'ENOTFOUND' });
}

async function lookupSystem(name: string): Promise<string[]> {
  if (isIP(name) !== 0) return [name];
  const found = await dns.lookup(name, { all: true });
  return found.map((entry) => entry.address);
}

function readSearchLines(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const lines = text.split('\n').map((line) => line.trim().split(/\s+/));
  const search = lines.find((words) => words[0] === 'search')?.slice(1) ?? [];
  const domain = lines.find((words) => words[0] === 'domain')?.slice(1, 2) ?? [];
  return [...new Set([...domain, ...search])].filter((entry) => entry.length > 0);
}
