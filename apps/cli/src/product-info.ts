import {
  formatInstallationId,
  IID_VERSION,
  type LicenceStatus,
  remainingTime,
} from '@slm/core/status';
import type { Context } from './context.js';
import { keyProofNote } from './key-proof.js';
import { bindingFor, type InstalledSku, type Machine, statusOf } from './machine.js';
import { productName } from './products.js';
import { shown } from './settings-command.js';
import { cachedHost, formatted } from './volume-host-cache.js';

/** How slmgr names each licence state. */
export const STATE_LABELS: Record<LicenceStatus['state'], string> = {
  unlicensed: 'Unlicensed',
  licensed: 'Licensed',
  initial_grace: 'Initial grace period',
  additional_grace: 'Additional grace period',
  non_genuine_grace: 'Non-genuine grace period',
  notification: 'Notification',
  extended_grace: 'Extended grace period',
};

/** The `--json` shape of one product in `/dli` and `/dlv`. */
export type ProductInfo = ReturnType<typeof productInfo>;

/** Everything `/dli` shows about one product, as data. */
export function productInfo(ctx: Context, machine: Machine, found: InstalledSku) {
  const status = statusOf(ctx, machine, found);
  const licence = machine.state.products[found.sku.activationId];
  const time = remainingTime(status);
  return {
    activationId: found.sku.activationId,
    name: productName(found),
    description: found.sku.description,
    channel: status.key?.channel ?? null,
    partialProductKey: status.key?.partial ?? null,
    licenceStatus: {
      state: status.state,
      code: status.code,
      label: STATE_LABELS[status.state],
      reason: status.reason,
      endsAt: status.endsAt === null ? null : new Date(status.endsAt).toISOString(),
      timeRemaining: time,
    },
    remainingRearmCount: status.remainingRearms,
    clientMachineId: machine.state.clientMachineId,
    trustedTime: new Date(status.trustedTime).toISOString(),
    clockMovedBack: status.clockMovedBack,
    volumeClient:
      status.key?.channel === 'volume_client' ? volumeClient(machine, found, licence) : null,
    volumeHost: status.key?.channel === 'volume_host' ? machine.state.settings.host : null,
    status,
  };
}

/** The extra fields of `/dlv`. */
export function detailedInfo(ctx: Context, machine: Machine, found: InstalledSku) {
  const status = statusOf(ctx, machine, found);
  return {
    applicationId: found.product.productId,
    serviceUrl: found.catalog.serviceUrl,
    vendor: found.catalog.vendor.name,
    extendedProductId: status.grant?.extendedProductId ?? null,
    installationId: installationIdOf(ctx, machine, found, status),
    grant: status.grant,
    grantProblem: status.grantProblem,
  };
}

/** The Installation ID of the installed key, or null without a key. */
export function installationIdOf(
  ctx: Context,
  machine: Machine,
  found: InstalledSku,
  status: LicenceStatus,
): string | null {
  if (status.key === null) return null;
  const proof = keyProofNote(machine.view, found.sku.activationId, status.key.partial);
  if (proof === null) return null;
  const { fingerprint } = bindingFor(ctx, machine, found);
  const { channel, skuCode, serial } = status.key;
  const machineHex = fingerprint.slice(0, 16);
  return formatInstallationId({
    version: IID_VERSION,
    channel,
    skuCode,
    serial,
    keyProof: proof,
    machine: machineHex,
  });
}

/** The port a running volume host listens on, and the `/sprt` port it read when it started. */
export interface RunningPort {
  readonly port: number;
  readonly portSetting: number | null;
}

/** The text lines of `/dli` for one product; `/dlv` adds the port its volume host runs on. */
export function productLines(info: ProductInfo, running: RunningPort | null = null): string[] {
  const status = info.licenceStatus;
  const lines = [
    `Name: ${info.name}`,
    `Description: ${info.description}${info.channel === null ? '' : `, ${info.channel.toUpperCase()} channel`}`,
    `Activation ID: ${info.activationId}`,
    `Partial Product Key: ${info.partialProductKey ?? 'none (no product key installed)'}`,
    `License Status: ${status.label}${status.state === 'notification' ? ` (reason: ${status.reason})` : ''}`,
  ];
  if (status.timeRemaining !== null) lines.push(timeLine(info));
  lines.push(`Remaining rearm count: ${info.remainingRearmCount}`);
  lines.push(
    `Trusted time: ${info.trustedTime}${info.clockMovedBack ? ' (the clock was moved back)' : ''}`,
  );
  lines.push(`Client Machine ID (CMID): ${info.clientMachineId}`);
  if (info.volumeClient !== null) lines.push(...volumeClientLines(info.volumeClient));
  if (info.volumeHost !== null) lines.push(...volumeHostLines(info.volumeHost, running));
  return lines;
}

function timeLine(info: ProductInfo): string {
  const { timeRemaining, endsAt, state } = info.licenceStatus;
  const what = state === 'licensed' ? 'Licence expires in' : 'Time remaining';
  return `${what}: ${timeRemaining?.minutes} minute(s) (${timeRemaining?.days} day(s)), until ${endsAt}`;
}

function volumeClient(
  machine: Machine,
  found: InstalledSku,
  licence: Machine['state']['products'][string] | undefined,
) {
  const machineKms = machine.state.settings.kms;
  const own = licence?.settings.kms;
  const cached = machine.state.settings.hostCaching
    ? cachedHost(machine.view, found.sku.activationId)
    : null;
  return {
    host: own?.host ?? machineKms.host,
    port: own?.port ?? machineKms.port ?? 1688,
    domain: own?.domain ?? machineKms.domain,
    hostCaching: machine.state.settings.hostCaching,
    cachedHost: cached === null ? null : formatted(cached),
    activationType: licence?.settings.activationType ?? machine.state.settings.activationType,
  };
}

function volumeClientLines(client: NonNullable<ProductInfo['volumeClient']>): string[] {
  const host =
    client.host === null
      ? 'none: found through DNS'
      : formatted({ host: client.host, port: client.port });
  return [
    'Volume activation client:',
    `    Registered volume host: ${host}`,
    `    Volume host DNS domain: ${shown(client.domain)}`,
    `    Volume host caching: ${client.hostCaching ? 'enabled' : 'disabled'}${client.cachedHost === null ? '' : ` (last host: ${client.cachedHost})`}`,
    `    Allowed activation type: ${['all', '', 'volume host only', 'token only'][client.activationType]}`,
  ];
}

function volumeHostLines(
  host: NonNullable<ProductInfo['volumeHost']>,
  running: RunningPort | null,
): string[] {
  return [
    'Volume activation host settings:',
    `    Listening on port: ${portText(host.port, running)}`,
    `    DNS publishing: ${host.dnsPublishing ? 'enabled' : 'disabled'}`,
    `    Priority: ${host.lowPriority ? 'low' : 'normal'}`,
    `    Activation interval: ${host.activationInterval} minutes`,
    `    Renewal interval: ${host.renewalInterval} minutes`,
  ];
}

// The setting is what the next start uses; a running host may listen elsewhere, started with
// --port, or started before /sprt changed the setting (it applies on restart).
function portText(setting: number, running: RunningPort | null): string {
  if (running === null || running.port === setting) return String(setting);
  const why = running.portSetting === running.port ? 'the setting when it started' : '--port';
  return `${setting} (set with /sprt); running on ${running.port} (${why})`;
}
