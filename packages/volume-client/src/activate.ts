import { randomBytes } from 'node:crypto';
import type { StoredGrant } from '@slm/core';
import { encodeRequest, type KmsRequest, type KmsResponse } from '@slm/kms-protocol';
import {
  type Attempt,
  type DiscoverySettings,
  discoverHosts,
  formatHost,
  type HostAddress,
  pinnedHost,
} from './discovery.js';
import { createResolver, type DnsOptions, type HostResolver, serverFailure } from './dns.js';
import type { RandomSource } from './srv.js';
import { exchange } from './transport.js';
import { checkAnswer, type Failure, type Verified } from './verify.js';

/** Everything one volume activation (or renewal) needs; time and randomness come in. */
export interface VolumeActivationInput {
  readonly activationId: string;
  readonly clientMachineId: string;
  /** A hash of the machine's hardware identity (32 hex): lets the host spot clones. */
  readonly workstation: string;
  /** The client's licence state code (0-6). */
  readonly licenceState: number;
  /** The product's threshold from the vendor's catalog (25, or 5 for server-class SKUs). */
  readonly threshold: number;
  readonly vendorKey: string;
  /** The client's clock, ms since the epoch. */
  readonly now: number;
  readonly settings: DiscoverySettings;
  /** Host caching (`/skhc`): try the last host that answered first. */
  readonly hostCaching: boolean;
  /** The host that last activated this machine, as slmgr stored it. */
  readonly cachedHost: HostAddress | null;
  readonly dns?: DnsOptions | undefined;
  /** Per-host time limit for connect, send and answer. */
  readonly timeoutMs?: number | undefined;
  readonly random?: RandomSource | undefined;
  /** Injected in tests; built from `dns` otherwise. */
  readonly resolver?: HostResolver | undefined;
}

/** A successful volume activation: what slmgr stores and shows. */
export interface VolumeActivated {
  readonly ok: true;
  /** Store this as the product's grant. */
  readonly storedGrant: Extract<StoredGrant, { kind: 'volume' }>;
  readonly host: HostAddress;
  readonly response: KmsResponse;
  readonly validUntil: number;
  readonly intervals: { readonly activationMinutes: number; readonly renewalMinutes: number };
  readonly count: number;
  /** Hosts that failed before this one answered. */
  readonly attempts: readonly Attempt[];
  /** What to store as the cached host: this host with caching on, null with it off. */
  readonly cachedHost: HostAddress | null;
}

/** No host activated this machine: the cause for every host tried. */
export interface VolumeNotActivated {
  readonly ok: false;
  readonly attempts: readonly Attempt[];
  readonly cachedHost: HostAddress | null;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * Activates (or renews) one product against the volume hosts this machine finds: the cached host
 * first when caching is on, then the pinned host or SRV discovery; a host that fails is dropped
 * and the next one tried.
 */
export async function activateVolume(
  input: VolumeActivationInput,
): Promise<VolumeActivated | VolumeNotActivated> {
  const attempts: Attempt[] = [];
  const tried = new Set<string>();
  const resolved = { ...input, resolver: input.resolver ?? createResolver(input.dns) };
  // A pinned host turns discovery off, and with it the cache.
  const cached = input.hostCaching && pinnedHost(input.settings) === null ? input.cachedHost : null;
  if (cached !== null) {
    const result = await tryHost(cached, resolved, attempts, tried);
    if (result !== null) return result;
  }
  const random = input.random ?? Math.random;
  const found = await discoverHosts(input.settings, input.dns ?? {}, resolved.resolver, random);
  attempts.push(...found.attempts);
  for (const host of found.hosts) {
    const result = await tryHost(host, resolved, attempts, tried);
    if (result !== null) return result;
  }
  return { ok: false, attempts, cachedHost: input.hostCaching ? input.cachedHost : null };
}

/** The request a client sends for this input, with a fresh nonce. */
export function buildRequest(input: VolumeActivationInput): KmsRequest {
  return {
    activationId: input.activationId.toLowerCase(),
    clientMachineId: input.clientMachineId,
    workstation: input.workstation,
    licenceState: input.licenceState,
    requiredCount: input.threshold,
    clientTime: input.now,
    nonce: randomBytes(16).toString('base64url'),
  };
}

async function tryHost(
  host: HostAddress,
  input: VolumeActivationInput,
  attempts: Attempt[],
  tried: Set<string>,
): Promise<VolumeActivated | null> {
  const label = formatHost(host);
  if (tried.has(label)) return null;
  tried.add(label);
  const outcome = await askHost(host, input);
  if (outcome.ok) return activated(host, outcome, input, attempts);
  attempts.push({
    host: label,
    cause: outcome.cause,
    detail: outcome.detail,
    ...(outcome.count === undefined ? {} : { count: outcome.count }),
    ...(outcome.threshold === undefined ? {} : { threshold: outcome.threshold }),
  });
  return null;
}

/** Sends one request to one host (every address it resolves to) and checks the answer. */
export async function askHost(
  host: HostAddress,
  input: VolumeActivationInput,
): Promise<Verified | Failure> {
  const resolver = input.resolver ?? createResolver(input.dns);
  let addresses: string[];
  try {
    addresses = await resolver.addresses(host.host);
  } catch (error) {
    const server = serverFailure(error);
    if (server !== null) return { ok: false, cause: 'dns_server', detail: server };
    return { ok: false, cause: 'dns', detail: `the name ${host.host} did not resolve` };
  }
  const request = buildRequest(input);
  let last: Failure = { ok: false, cause: 'refused', detail: 'no address to connect to' };
  for (const address of addresses) {
    const reply = await exchange(
      address,
      host.port,
      encodeRequest(request),
      input.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
    if (reply.ok) return checkAnswer(reply.frame, request, input.vendorKey, input.threshold);
    last = { ok: false, cause: reply.cause, detail: reply.detail };
    if (reply.cause !== 'refused') return last;
  }
  return last;
}

function activated(
  host: HostAddress,
  verified: Verified,
  input: VolumeActivationInput,
  attempts: Attempt[],
): VolumeActivated {
  const { response } = verified;
  return {
    ok: true,
    storedGrant: {
      kind: 'volume',
      document: response.grant ?? '',
      hostCertificate: response.hostCertificate,
    },
    host,
    response,
    validUntil: verified.grant.expiresAt,
    intervals: {
      activationMinutes: response.activationIntervalMinutes,
      renewalMinutes: response.renewalIntervalMinutes,
    },
    count: response.count,
    attempts,
    cachedHost: input.hostCaching ? host : null,
  };
}
