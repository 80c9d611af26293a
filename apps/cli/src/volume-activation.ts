// Loaded only by /ato: it imports @slm/core (with zod) and @slm/volume-client.
import { isIP } from 'node:net';
import { type ActivationType, addGrant, fail, ok, type Result, SlmError } from '@slm/core';
import {
  type Attempt,
  activateVolume,
  type DnsOptions,
  type VolumeActivated,
  type VolumeActivationInput,
  volumeActivationAllowed,
} from '@slm/volume-client';
import type { Context } from './context.js';
import type { CommandError } from './errors.js';
import {
  bindingFor,
  changeMachine,
  evaluationContext,
  type InstalledSku,
  type Machine,
  statusOf,
} from './machine.js';
import { productName, selectProduct } from './products.js';
import { cachedHost, setCachedHost } from './volume-host-cache.js';

/** What `/ato` asks volume hosts for one product, read in the administrator's transaction. */
export interface VolumeAttempt {
  readonly sku: InstalledSku;
  readonly name: string;
  readonly partial: string;
  readonly input: VolumeActivationInput;
}

/** A volume activation that worked: the grant is stored, the product is Licensed. */
export interface VolumeSuccess {
  readonly attempt: VolumeAttempt;
  readonly result: VolumeActivated;
}

/** The environment variable naming the DNS server (`host:port`) that discovery asks. */
export const DNS_SERVER_ENV = 'SLM_DNS_SERVER';

/**
 * Checks $SLM_DNS_SERVER before anything is asked: an IP address, IP:PORT or [IPv6]:PORT, as
 * `SLM_DNS_SERVER=10.0.0.2:5353`; unset or empty means the system's resolver.
 */
export function checkDnsServer(env: Readonly<Record<string, string | undefined>>): Result<void> {
  const server = (env[DNS_SERVER_ENV] ?? '').trim();
  if (server === '' || isDnsServer(server)) return ok(undefined);
  return fail(
    'setting.invalid',
    `${DNS_SERVER_ENV} is "${server}", which is not a DNS server address: give an IP address or IP:PORT (an IPv6 address with a port in brackets, as [::1]:53), or unset it to use the system's resolver`,
    { variable: DNS_SERVER_ENV, value: server },
  );
}

function isDnsServer(text: string): boolean {
  if (isIP(text) !== 0) return true;
  const parts = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  if (parts === null) return /^\[([^\]]+)\]$/.test(text) && isIP(text.slice(1, -1)) === 6;
  const [, v6, v4, port] = parts;
  const address = v6 === undefined ? isIP(v4 ?? '') === 4 : isIP(v6) === 6;
  return address && Number(port) >= 1 && Number(port) <= 65535;
}

/** The environment variable giving the DNS search list (domains, comma or space separated). */
export const DNS_SEARCH_ENV = 'SLM_DNS_SEARCH';

/**
 * The volume activation to try for the selected product, or null when its key is not a volume
 * client key (it then activates online). `/act-type 3` refuses here, before any host is asked.
 */
export function prepareVolume(
  ctx: Context,
  target: string | null,
): Result<VolumeAttempt | null, CommandError> {
  const prepared = changeMachine<{ found: VolumeAttempt | null }>(ctx, (machine) => {
    const sku = selectProduct(machine, target);
    if (!sku.ok) return sku;
    const licence = machine.state.products[sku.value.sku.activationId];
    if (licence?.key?.channel !== 'volume_client') return ok({ state: machine.state, found: null });
    const allowed = volumeActivationAllowed(
      machine.state.settings.activationType,
      licence.settings.activationType,
    );
    if (!allowed.ok) return tokenOnly(sku.value, licence.settings.activationType);
    const input = inputFor(ctx, machine, sku.value);
    const found = { sku: sku.value, name: productName(sku.value), partial: licence.key.partial };
    return ok({ state: machine.state, found: { ...found, input } });
  });
  return prepared.ok ? ok(prepared.value.found) : prepared;
}

// Token activation (/fta) is not offered yet, so the advice is only what can be done now.
function tokenOnly(sku: InstalledSku, own: ActivationType | null): Result<never> {
  const id = sku.sku.activationId;
  const allow = own === 3 ? `slmgr /act-type 0 ${id}` : 'slmgr /act-type 0 (or /ctao)';
  return fail(
    'activation.token_only',
    `volume activation is turned off for ${productName(sku)} (activation type 3, token only), and token activation is not available in this version of slmgr: allow volume activation again with ${allow}`,
    { activationType: 3 },
  );
}

function inputFor(ctx: Context, machine: Machine, sku: InstalledSku): VolumeActivationInput {
  const { state } = machine;
  const activationId = sku.sku.activationId;
  const dns = dnsOptions(ctx.io.env);
  return {
    activationId,
    clientMachineId: state.clientMachineId,
    workstation: bindingFor(ctx, machine, sku).fingerprint,
    licenceState: statusOf(ctx, machine, sku).code,
    threshold: sku.sku.volumeThreshold,
    vendorKey: sku.catalog.vendor.publicKey,
    now: ctx.now,
    settings: { machine: state.settings.kms, product: state.products[activationId]?.settings.kms },
    hostCaching: state.settings.hostCaching,
    cachedHost: state.settings.hostCaching ? cachedHost(machine.view, activationId) : null,
    ...(dns === null ? {} : { dns }),
  };
}

// Both default to the system's resolver and resolv.conf; set, they serve tests and
// split-horizon networks.
function dnsOptions(env: Readonly<Record<string, string | undefined>>): DnsOptions | null {
  const server = (env[DNS_SERVER_ENV] ?? '').trim();
  const search = (env[DNS_SEARCH_ENV] ?? '').split(/[\s,]+/).filter((domain) => domain !== '');
  if (server === '' && search.length === 0) return null;
  return {
    ...(server === '' ? {} : { servers: [server] }),
    ...(search.length === 0 ? {} : { searchList: search }),
  };
}

/** Asks the volume hosts; a success is stored as the product's grant, a failure lists every host. */
export async function activateByVolume(
  ctx: Context,
  attempt: VolumeAttempt,
): Promise<Result<VolumeSuccess, CommandError>> {
  const result = await activateVolume(attempt.input);
  if (!result.ok) return { ok: false, error: new VolumeNotActivated(attempt, result.attempts) };
  const stored = changeMachine(ctx, (machine, tx) => {
    const added = addGrant(
      machine.state,
      result.storedGrant,
      evaluationContext(ctx, machine, attempt.sku),
    );
    if (!added.ok) return added;
    setCachedHost(tx, attempt.sku.sku.activationId, result.cachedHost);
    return ok({ state: added.value.state });
  });
  return stored.ok ? ok({ attempt, result }) : stored;
}

/** No host activated this machine; `--json` has every host tried in `error.details.attempts`. */
export class VolumeNotActivated extends SlmError {
  readonly details: { readonly attempts: ReturnType<typeof attemptData>[] };

  constructor(attempt: VolumeAttempt, attempts: readonly Attempt[]) {
    const lines = attempts.map((tried) => `    ${tried.host}: ${causeText(tried)}`);
    super(
      'activation.unavailable',
      [`no volume host activated ${attempt.name}; hosts tried:`, ...lines].join('\n'),
      { activationId: attempt.sku.sku.activationId, hostsTried: attempts.length },
    );
    this.details = { attempts: attempts.map(attemptData) };
  }
}

/** One host tried, as `--json` shows it. */
export function attemptData(tried: Attempt) {
  return {
    host: tried.host,
    cause: tried.cause,
    detail: tried.detail,
    count: tried.count ?? null,
    threshold: tried.threshold ?? null,
  };
}

/** Why one host did not activate this machine, in words an administrator acts on. */
export function causeText(tried: Attempt): string {
  switch (tried.cause) {
    case 'dns':
      return `name did not resolve (${tried.detail})`;
    case 'dns_server':
      return tried.detail;
    case 'refused':
      return `refused the connection (${tried.detail})`;
    case 'timeout':
      return `timed out (${tried.detail})`;
    case 'busy':
      return `busy: too many connections (${tried.detail})`;
    case 'protocol':
      return `answered outside the protocol (${tried.detail})`;
    // The detail is the host's refusal, which already says what the skew is: said once.
    case 'clock_skew':
      return "clock skew: the host refused because this machine's clock differs from the host's by more than 4 hours; set the clock right, then slmgr /ato again";
    case 'below_threshold':
      return `count below threshold (${tried.count ?? '?'} of ${tried.threshold ?? '?'})`;
    case 'host_not_activated':
      return `host not activated (${tried.detail})`;
    // The details say what happened in full: a label before them would say it twice.
    case 'product_not_served':
      return `product not served: ${tried.detail}`;
    case 'maintenance':
      return `maintenance: ${tried.detail}; try again later, or another host`;
    case 'host_error':
      return `host error (${tried.detail})`;
    case 'no_hosts':
      return tried.detail;
  }
}
