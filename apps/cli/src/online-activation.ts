import {
  type ClientFailure,
  createActivationClient,
  type OnlineActivationRequest,
} from '@slm/activation-client';
import {
  fail,
  findSkuByActivationId,
  isErrorCode,
  ok,
  openCatalog,
  type Result,
  SlmError,
} from '@slm/core';
import type { Context } from './context.js';
import type { CommandError } from './errors.js';
import { bindingFor, changeMachine, type InstalledSku } from './machine.js';
import { productName, selectProduct } from './products.js';
import { hostKey } from './volume-host-identity.js';

/** What `/ato` sends, where, and for which product: read in the administrator's transaction. */
export interface OnlineAttempt {
  readonly sku: InstalledSku;
  /** For a volume host key: the host key to certify and the signed catalog the host serves. */
  readonly host: { readonly privateKeyPem: string; readonly catalog: string } | null;
  readonly name: string;
  readonly partial: string;
  readonly serviceUrl: string;
  readonly request: OnlineActivationRequest;
  readonly components: string[];
}

/** Gathers the request for the selected product; the full key comes from the owner-only copy. */
export function prepareOnline(
  ctx: Context,
  target: string | null,
): Result<OnlineAttempt, CommandError> {
  return changeMachine(ctx, (machine, tx) => {
    const sku = selectProduct(machine, target);
    if (!sku.ok) return sku;
    const activationId = sku.value.sku.activationId;
    const key = machine.state.products[activationId]?.key ?? null;
    if (key === null) return fail('key.not_installed', 'install a product key with slmgr /ipk');
    const text = tx.secrets().productKeys[activationId];
    if (text === undefined) {
      return fail(
        'key.not_installed',
        `the full product key ending in ${key.partial} was removed (slmgr /cpky): install it again with slmgr /ipk`,
      );
    }
    const binding = bindingFor(ctx, machine, sku.value);
    const host = key.channel === 'volume_host' ? hostKey(ctx) : null;
    const catalog = signedCatalogOf(tx.licenceFiles('catalog'), activationId);
    return ok({
      state: machine.state,
      sku: sku.value,
      host: host === null ? null : { privateKeyPem: host.privateKeyPem, catalog },
      name: productName(sku.value),
      partial: key.partial,
      serviceUrl: sku.value.catalog.serviceUrl,
      components: [...binding.components],
      request: {
        key: text,
        activationId,
        fingerprint: binding.fingerprint,
        installation: {
          clientMachineId: machine.state.clientMachineId,
          ...(host === null ? {} : { hostPublicKey: host.publicKey }),
        },
      },
    });
  });
}

function signedCatalogOf(files: readonly { content: string }[], activationId: string): string {
  const holder = files.find((file) => {
    const opened = openCatalog(file.content);
    return opened.ok && findSkuByActivationId(opened.value, activationId) !== null;
  });
  return holder?.content ?? '';
}

/** Asks the vendor's service; a refusal becomes its reason code, a failure says what happened. */
export async function askService(
  attempt: OnlineAttempt,
): Promise<Result<{ grant: string; hostCertificate: string | null }, CommandError>> {
  const client = createActivationClient({ baseUrl: attempt.serviceUrl, timeoutMs: 20_000 });
  const answer = await client.activateOnline(attempt.request);
  if (!answer.ok) return unreachable(attempt.serviceUrl, answer.failure);
  const verdict = answer.value;
  if (verdict.activated) {
    return ok({ grant: verdict.grant, hostCertificate: verdict.hostCertificate ?? null });
  }
  const code = isErrorCode(verdict.reason) ? verdict.reason : 'activation.unavailable';
  const context = { partial: attempt.partial, reason: verdict.reason };
  return { ok: false, error: new SlmError(code, verdict.message, context) };
}

const FAILURE_WORDS: Record<ClientFailure['kind'], string> = {
  unreachable: 'cannot be reached',
  refused: 'refused the connection',
  timed_out: 'did not answer in time',
  http: 'answered with an error',
  protocol: 'answered outside the activation protocol',
  insecure: 'would need credentials over plain HTTP',
};

function unreachable(serviceUrl: string, failure: ClientFailure): Result<never, CommandError> {
  const detail =
    failure.kind === 'http'
      ? ` (${failure.code}: ${failure.message})`
      : failure.kind === 'unreachable'
        ? ` (${failure.cause})`
        : '';
  return fail(
    'activation.unavailable',
    `the activation service at ${serviceUrl} ${FAILURE_WORDS[failure.kind]}${detail}`,
    { serviceUrl, failure: failure.kind },
  );
}
