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
  const naming = (error: unknown) => withServer(error, resolver.getServers());
  return {
    srv: async (name) =>
      (await resolver.resolveSrv(name).catch(naming)).map((record) => ({ ...record })),
    addresses: (name) => (custom ? resolveWith(resolver, name).catch(naming) : lookupSystem(name)),
  };
}

// c-ares codes that mean the DNS server could not be asked: nothing is known about the name.
// Its answers (REFUSED or SERVFAIL for a zone it does not serve) stay answers about the name.
const SERVER_FAILURES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'refused the query',
  ETIMEOUT: 'did not answer',
};

/**
 * Says why a lookup failed when the DNS server is to blame, naming it:
 * "the DNS server 127.0.0.1:5353 refused the query (ECONNREFUSED)"; null when the name is.
 */
export function serverFailure(error: unknown): string | null {
  const { code, dnsServers } = error as { code?: unknown; dnsServers?: unknown };
  const what = typeof code === 'string' ? SERVER_FAILURES[code] : undefined;
  if (what === undefined) return null;
  const servers = Array.isArray(dnsServers) ? dnsServers.join(', ') : '';
  if (servers === '') return `the DNS server ${what} (${code})`;
  const plural = Array.isArray(dnsServers) && dnsServers.length > 1;
  return `the DNS server${plural ? 's' : ''} ${servers} ${what} (${code})`;
}

function withServer(error: unknown, servers: string[]): never {
  if (error !== null && typeof error === 'object') Object.assign(error, { dnsServers: servers });
  throw error;
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
  // A server that could not be asked is not a name that does not exist.
  const unasked = [v4, v6].find(
    (result) => result.status === 'rejected' && serverFailure(result.reason) !== null,
  );
  if (unasked?.status === 'rejected') throw unasked.reason;
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
