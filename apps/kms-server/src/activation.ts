import { createHash } from 'node:crypto';
import { type HostSettings, issueVolumeGrant } from '@slm/core';
import {
  type KmsRequest,
  type KmsResponse,
  MAX_CLOCK_SKEW_MS,
  type RefusalReason,
} from '@slm/kms-protocol';
import type { CountingStore } from './counting/store.js';
import type { HostIdentity, ServedSku } from './identity.js';

const DAY_MS = 86_400_000;

/** What answering one request needs; settings and maintenance change on reload. */
export interface HostContext {
  readonly identity: HostIdentity;
  readonly store: CountingStore;
  settings: HostSettings;
  maintenance: boolean;
}

/** An answer and what the request log says about it. */
export interface Answer {
  readonly response: KmsResponse;
  readonly log: {
    readonly outcome: KmsResponse['outcome'];
    readonly reason: RefusalReason | null;
    readonly client: string;
    readonly product: string;
    readonly count: number;
    readonly duplicate: boolean;
    readonly thresholdIgnored: boolean;
  };
}

/** The verdict on one well-formed request at the host's instant `now`. */
export function answer(request: KmsRequest, ctx: HostContext, now: number): Answer {
  const refusal = refusalOf(request, ctx, now);
  if (refusal !== null) return refuse(request, ctx, now, refusal);
  const sku = ctx.identity.skus.get(request.activationId) as ServedSku;
  const asked = boundedThreshold(request.requiredCount, ctx, sku);
  const counted = ctx.store.record(
    {
      family: sku.family,
      clientMachineId: request.clientMachineId,
      workstation: request.workstation,
      at: now,
      askedThreshold: asked,
      skuThreshold: sku.threshold,
    },
    (result) =>
      countersFor(
        request,
        result.count >= sku.threshold ? 'activated' : 'below_threshold',
        result.duplicate,
      ),
  );
  const activated = counted.count >= sku.threshold;
  const response = activated
    ? activate(request, ctx, sku, now, counted)
    : base(request, ctx, now, {
        outcome: 'below_threshold',
        reason: null,
        count: counted.count,
        threshold: sku.threshold,
        duplicate: counted.duplicate,
        validUntil: null,
        grant: null,
      });
  return { response, log: logOf(request, response, asked === null) };
}

/** The client ID as logs show it: a short hash, never the raw ID. */
export function hashedClient(clientMachineId: string): string {
  return createHash('sha256').update(`slm-kms-log\0${clientMachineId}`).digest('hex').slice(0, 16);
}

/** The host's extended product ID, derived from its certificate. */
export function extendedProductId(identity: HostIdentity): string {
  const { hostId, hostKeyPartial } = identity.certificate;
  return `${hostId}:${hostKeyPartial}`.slice(0, 100);
}

function refusalOf(request: KmsRequest, ctx: HostContext, now: number): RefusalReason | null {
  if (ctx.maintenance) return 'maintenance';
  if (Math.abs(request.clientTime - now) > MAX_CLOCK_SKEW_MS) return 'clock_skew';
  if (!ctx.identity.skus.has(request.activationId)) return 'product_not_served';
  return null;
}

/** A client may raise how many machines are kept, but never beyond what the catalog allows. */
function boundedThreshold(asked: number, ctx: HostContext, sku: ServedSku): number | null {
  const ceiling = ctx.identity.familyCeilings.get(sku.family) ?? sku.threshold;
  return asked >= 1 && asked <= ceiling ? asked : null;
}

function activate(
  request: KmsRequest,
  ctx: HostContext,
  sku: ServedSku,
  now: number,
  counted: { count: number; duplicate: boolean },
): KmsResponse {
  const validUntil = now + sku.validityDays * DAY_MS;
  const grant = issueVolumeGrant(
    {
      activationId: request.activationId,
      clientMachineId: request.clientMachineId,
      hostId: ctx.identity.certificate.hostId,
      extendedProductId: extendedProductId(ctx.identity),
      issuedAt: now,
      expiresAt: validUntil,
      activationIntervalMinutes: ctx.settings.activationInterval,
      renewalIntervalMinutes: ctx.settings.renewalInterval,
      count: counted.count,
      nonce: request.nonce,
    },
    ctx.identity.hostPrivateKeyPem,
  );
  return base(request, ctx, now, {
    outcome: 'activated',
    reason: null,
    count: counted.count,
    threshold: sku.threshold,
    duplicate: counted.duplicate,
    validUntil,
    grant,
  });
}

function refuse(request: KmsRequest, ctx: HostContext, now: number, reason: RefusalReason): Answer {
  ctx.store.bump([...countersFor(request, 'refused', false), `refused.${reason}`]);
  const sku = ctx.identity.skus.get(request.activationId);
  const count = sku === undefined ? 0 : ctx.store.count(sku.family, now);
  const response = base(request, ctx, now, {
    outcome: 'refused',
    reason,
    count,
    threshold: sku?.threshold ?? 0,
    duplicate: false,
    validUntil: null,
    grant: null,
  });
  return { response, log: logOf(request, response, false) };
}

/** The verdict's own fields; the rest of an answer is the same for every verdict. */
type Verdict = Pick<
  KmsResponse,
  'outcome' | 'reason' | 'count' | 'threshold' | 'duplicate' | 'validUntil' | 'grant'
>;

// Every field written out, no spreading: this runs for every request, and an object literal of
// known shape is what the engine builds fastest.
function base(request: KmsRequest, ctx: HostContext, now: number, verdict: Verdict): KmsResponse {
  return {
    outcome: verdict.outcome,
    count: verdict.count,
    threshold: verdict.threshold,
    duplicate: verdict.duplicate,
    reason: verdict.reason,
    activationId: request.activationId,
    clientMachineId: request.clientMachineId,
    nonce: request.nonce,
    activationIntervalMinutes: ctx.settings.activationInterval,
    renewalIntervalMinutes: ctx.settings.renewalInterval,
    extendedProductId: extendedProductId(ctx.identity),
    validUntil: verdict.validUntil,
    hostTime: now,
    hostCertificate: ctx.identity.hostCertificate,
    grant: verdict.grant,
  };
}

function countersFor(request: KmsRequest, outcome: string, duplicate: boolean): string[] {
  const names = ['requests', `outcome.${outcome}`, `licence_state.${request.licenceState}`];
  return duplicate ? [...names, 'duplicates'] : names;
}

function logOf(
  request: KmsRequest,
  response: KmsResponse,
  thresholdIgnored: boolean,
): Answer['log'] {
  return {
    outcome: response.outcome,
    reason: response.reason,
    client: hashedClient(request.clientMachineId),
    product: request.activationId,
    count: response.count,
    duplicate: response.duplicate,
    thresholdIgnored,
  };
}
