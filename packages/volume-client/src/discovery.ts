import type { KmsSettings } from '@slm/core';
import { DEFAULT_KMS_PORT, SRV_SERVICE } from '@slm/kms-protocol';
import { type DnsOptions, type HostResolver, serverFailure, systemSearchList } from './dns.js';
import { orderSrv, type RandomSource } from './srv.js';
import type { FailureCause } from './verify.js';

/** A volume host to try. */
export interface HostAddress {
  readonly host: string;
  readonly port: number;
}

/** What the client settings say about finding a host: per product first, then machine-wide. */
export interface DiscoverySettings {
  readonly machine: KmsSettings;
  readonly product?: KmsSettings | null | undefined;
}

/** One host (or domain) tried, and why it did not activate this machine. */
export interface Attempt {
  /** `name:port` of a host, or the SRV name looked up when discovery itself failed. */
  readonly host: string;
  readonly cause: FailureCause;
  readonly detail: string;
  readonly count?: number;
  readonly threshold?: number;
}

/** Hosts in the order to try them, and what went wrong finding them. */
export interface Discovered {
  readonly source: 'pinned' | 'dns';
  readonly hosts: HostAddress[];
  readonly attempts: Attempt[];
}

/** The pinned host (`/skms`), per product before machine-wide; null when none is pinned. */
export function pinnedHost(settings: DiscoverySettings): HostAddress | null {
  const { machine, product } = settings;
  const host = product?.host ?? machine.host;
  if (host === null) return null;
  return { host, port: product?.port ?? machine.port ?? DEFAULT_KMS_PORT };
}

/**
 * Finds hosts: the pinned one, else SRV records in the `/skms-domain` domain, else in the
 * machine's DNS domain and search list (the first domain that has records wins).
 */
export async function discoverHosts(
  settings: DiscoverySettings,
  dns: DnsOptions,
  resolver: HostResolver,
  random: RandomSource,
): Promise<Discovered> {
  const pinned = pinnedHost(settings);
  if (pinned !== null) return { source: 'pinned', hosts: [pinned], attempts: [] };
  const attempts: Attempt[] = [];
  const domains = searchDomains(settings, dns);
  for (const domain of domains) {
    const name = `${SRV_SERVICE}.${domain.replace(/\.$/, '')}`;
    const records = await lookupSrv(resolver, name, attempts);
    if (records.length === 0) continue;
    const hosts = orderSrv(records, random).map((record) => ({
      host: record.name,
      port: record.port,
    }));
    return { source: 'dns', hosts, attempts };
  }
  if (domains.length === 0) attempts.push(noDomain());
  return { source: 'dns', hosts: [], attempts };
}

/** `host:port`, with brackets around an IPv6 address. */
export function formatHost(address: HostAddress): string {
  return address.host.includes(':')
    ? `[${address.host}]:${address.port}`
    : `${address.host}:${address.port}`;
}

function searchDomains(settings: DiscoverySettings, dns: DnsOptions): readonly string[] {
  const domain = settings.product?.domain ?? settings.machine.domain;
  if (domain !== null) return [domain];
  return dns.searchList ?? systemSearchList();
}

async function lookupSrv(resolver: HostResolver, name: string, attempts: Attempt[]) {
  try {
    const records = await resolver.srv(name);
    if (records.length === 0) attempts.push(noRecords(name));
    return records;
  } catch (error) {
    attempts.push(srvFailure(name, error));
    return [];
  }
}

function srvFailure(name: string, error: unknown): Attempt {
  const server = serverFailure(error);
  if (server !== null) return { host: name, cause: 'dns_server', detail: server };
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTFOUND' || code === 'ENODATA') return noRecords(name);
  return { host: name, cause: 'dns', detail: `the SRV lookup failed (${code ?? 'error'})` };
}

function noRecords(name: string): Attempt {
  return { host: name, cause: 'dns', detail: `no SRV records named ${name}` };
}

function noDomain(): Attempt {
  return {
    host: SRV_SERVICE,
    cause: 'no_hosts',
    detail:
      'no host is pinned and this machine has no DNS domain to search: use slmgr /skms or /skms-domain',
  };
}
