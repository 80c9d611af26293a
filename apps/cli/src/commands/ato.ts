import { addGrant, fail, ok, openHostCertificate, type Result } from '@slm/core';
import { activationIdArg } from '../args.js';
import { type CommandResult, report } from '../command.js';
import type { Context } from '../context.js';
import type { CommandError } from '../errors.js';
import { changeMachine, evaluationContext, readMachine, statusOf } from '../machine.js';
import { askService, type OnlineAttempt, prepareOnline } from '../online-activation.js';
import {
  activateByVolume,
  attemptData,
  causeText,
  checkDnsServer,
  prepareVolume,
  type VolumeAttempt,
} from '../volume-activation.js';
import { formatted } from '../volume-host-cache.js';
import { saveHostIdentity } from '../volume-host-identity.js';

/**
 * `/ato [ActID]`: with a volume client key, activates (or renews) against a volume host;
 * otherwise activates online with the vendor's service named by the catalog and stores the
 * vendor-signed grant. A MAK product that is already Licensed is not activated again.
 */
export async function run(ctx: Context, [text]: readonly string[]): Promise<CommandResult> {
  const target = activationIdArg(text);
  if (!target.ok) return target;
  const dnsServer = checkDnsServer(ctx.io.env);
  if (!dnsServer.ok) return dnsServer;

  const volume = prepareVolume(ctx, target.value);
  if (!volume.ok) return volume;
  if (volume.value !== null) return byVolume(ctx, volume.value);

  const attempt = prepareOnline(ctx, target.value);
  if (!attempt.ok) return attempt;
  const guard = checkChannel(ctx, attempt.value);
  if (!guard.ok) return guard;

  const answer = await askService(attempt.value);
  if (!answer.ok) return answer;
  const certified = checkHostCertificate(attempt.value, answer.value.hostCertificate);
  if (!certified.ok) return certified;

  const stored = storeGrant(ctx, attempt.value, answer.value.grant);
  if (!stored.ok) return stored;
  keepHostIdentity(ctx, attempt.value, certified.value);
  return activated(attempt.value, stored.value.extendedProductId);
}

function checkChannel(ctx: Context, attempt: OnlineAttempt): Result<void, CommandError> {
  const status = readMachine(ctx, (machine) => ok(statusOf(ctx, machine, attempt.sku)));
  if (!status.ok) return status;
  const { state, key } = status.value;
  if (state === 'licensed' && key?.channel === 'mak') {
    return fail(
      'activation.not_needed',
      `${attempt.name} is already activated with this MAK on this machine: nothing was sent to the activation service, and nothing changed`,
    );
  }
  return ok(undefined);
}

function storeGrant(ctx: Context, attempt: OnlineAttempt, grant: string) {
  return changeMachine(ctx, (machine) => {
    const context = evaluationContext(ctx, machine, attempt.sku);
    const stored = { kind: 'online' as const, document: grant, components: attempt.components };
    const added = addGrant(machine.state, stored, context);
    if (!added.ok) return added;
    const status = statusOf(ctx, { ...machine, state: added.value.state }, attempt.sku);
    return ok({
      state: added.value.state,
      extendedProductId: status.grant?.extendedProductId ?? '',
    });
  });
}

// A volume host key's activation certifies this machine's host key, which the volume host needs.
// A certificate for another key would leave a host that cannot start: it is refused before
// anything is stored, so a working identity is never replaced by a mismatched one.
function checkHostCertificate(
  attempt: OnlineAttempt,
  hostCertificate: string | null,
): Result<string | null, CommandError> {
  if (attempt.host === null) return ok(null);
  if (hostCertificate === null) {
    return fail('grant.malformed', 'the service activated the host key without a host certificate');
  }
  const certificate = openHostCertificate(hostCertificate, attempt.sku.catalog.vendor.publicKey);
  if (!certificate.ok) return certificate;
  if (certificate.value.hostPublicKey !== attempt.request.installation.hostPublicKey) {
    return fail(
      'grant.wrong_key',
      `the activation service answered with a host certificate for another host key than this machine sent, so nothing was changed here and the volume host could not start with it: ask the vendor to revoke this host's activation of the key ending in ${attempt.partial}, then run slmgr /ato again`,
      { partial: attempt.partial },
    );
  }
  return ok(hostCertificate);
}

function keepHostIdentity(
  ctx: Context,
  attempt: OnlineAttempt,
  hostCertificate: string | null,
): void {
  if (attempt.host === null || hostCertificate === null) return;
  saveHostIdentity(ctx, {
    hostPrivateKeyPem: attempt.host.privateKeyPem,
    hostCertificate,
    vendorPublicKey: attempt.sku.catalog.vendor.publicKey,
    catalog: attempt.host.catalog,
  });
}

function activated(attempt: OnlineAttempt, extendedProductId: string): CommandResult {
  const data = {
    activationId: attempt.sku.sku.activationId,
    partialProductKey: attempt.partial,
    extendedProductId,
    serviceUrl: attempt.serviceUrl,
  };
  return report(data, [
    `Activating ${attempt.name} (${attempt.sku.sku.activationId}) ...`,
    `Product activated successfully (key ending in ${attempt.partial}, extended product ID ${extendedProductId}).`,
  ]);
}

async function byVolume(ctx: Context, attempt: VolumeAttempt): Promise<CommandResult> {
  const done = await activateByVolume(ctx, attempt);
  if (!done.ok) return done;
  const { result } = done.value;
  const renewed = attempt.input.licenceState === 1;
  const until = new Date(result.validUntil).toISOString();
  const days = Math.round((result.validUntil - ctx.now) / 86_400_000);
  const { activationMinutes, renewalMinutes } = result.intervals;
  const host = formatted(result.host);
  const data = {
    activationId: attempt.sku.sku.activationId,
    partialProductKey: attempt.partial,
    volumeHost: host,
    renewed,
    licensedUntil: until,
    count: result.count,
    threshold: attempt.input.threshold,
    intervals: result.intervals,
    attempts: result.attempts.map(attemptData),
  };
  return report(data, [
    `Activating ${attempt.name} (${attempt.sku.sku.activationId}) against a volume host ...`,
    ...result.attempts.map((tried) => `Volume host ${tried.host}: ${causeText(tried)}`),
    `Product ${renewed ? 'renewed' : 'activated'} successfully by volume host ${host}.`,
    `Licensed until ${until} (${days} days).`,
    `Volume host count: ${result.count} (this product needs ${attempt.input.threshold}).`,
    `Activation interval: ${activationMinutes} minutes; renewal interval: ${renewalMinutes} minutes.`,
  ]);
}
