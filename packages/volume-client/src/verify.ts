import {
  type HostCertificate,
  openHostCertificate,
  openVolumeGrant,
  type VolumeGrant,
} from '@slm/core';
import {
  decodeError,
  decodeResponse,
  type Frame,
  type KmsRequest,
  type KmsResponse,
  verifyResponse,
} from '@slm/kms-protocol';

/** Why one host did not activate this client: what `/ato` reports for each host tried. */
export type FailureCause =
  | 'dns'
  /** The DNS server could not be reached or did not answer: nothing is known about the name. */
  | 'dns_server'
  | 'refused'
  | 'timeout'
  | 'busy'
  | 'protocol'
  | 'clock_skew'
  | 'below_threshold'
  | 'host_not_activated'
  | 'product_not_served'
  | 'maintenance'
  | 'host_error'
  | 'no_hosts';

/** A host's answer that failed, with the cause, a sentence, and the count when there is one. */
export interface Failure {
  readonly ok: false;
  readonly cause: FailureCause;
  readonly detail: string;
  readonly count?: number;
  readonly threshold?: number;
  readonly response?: KmsResponse;
}

/** A verified activation. */
export interface Verified {
  readonly ok: true;
  readonly response: KmsResponse;
  readonly grant: VolumeGrant;
  readonly certificate: HostCertificate;
}

/**
 * Checks a host's answer field by field: the certificate chains to the vendor key, the answer is
 * signed by the certified host key (an activating answer through its grant), it repeats our
 * nonce, and the grant matches the answer.
 */
export function checkAnswer(
  frame: Frame,
  request: KmsRequest,
  vendorKey: string,
  threshold: number,
): Verified | Failure {
  if (frame.type === 'error') return errorFrame(frame);
  const decoded = decodeResponse(frame);
  if (!decoded.ok) return failure('protocol', `the answer is malformed: ${decoded.message}`);
  const { response } = decoded.value;
  const certificate = openHostCertificate(response.hostCertificate, vendorKey);
  if (!certificate.ok) {
    return failure(
      'host_not_activated',
      `the host is not activated by the vendor: ${certificate.error.message}`,
    );
  }
  // An activation frame has no signature of its own: its grant, checked below, is signed.
  const signed = decoded.value.signature !== null;
  if (signed && !verifyResponse(decoded.value, certificate.value.hostPublicKey)) {
    return failure('protocol', 'the answer is not signed by the key the vendor certified');
  }
  const mismatch = echoMismatch(response, request);
  if (mismatch !== null)
    return failure('protocol', `the answer does not match the request: ${mismatch}`);
  if (!certificate.value.activationIds.includes(request.activationId)) {
    return failure('product_not_served', 'the host is not certified to activate this product');
  }
  return verdict(response, request, vendorKey, threshold, certificate.value);
}

function verdict(
  response: KmsResponse,
  request: KmsRequest,
  vendorKey: string,
  threshold: number,
  certificate: HostCertificate,
): Verified | Failure {
  if (response.outcome === 'refused') return refusal(response);
  const below = {
    ok: false as const,
    cause: 'below_threshold' as const,
    detail: `the host counts ${response.count} client machines; this product activates at ${threshold}`,
    count: response.count,
    threshold,
    response,
  };
  if (response.outcome === 'below_threshold' || response.count < threshold) return below;
  const grant = openVolumeGrant(response.grant ?? '', response.hostCertificate, vendorKey);
  if (!grant.ok)
    return failure('protocol', `the volume grant does not verify: ${grant.error.message}`);
  const problem = grantMismatch(grant.value.grant, response, request);
  if (problem !== null)
    return failure('protocol', `the volume grant does not match the answer: ${problem}`);
  if (grant.value.grant.count < threshold) return below;
  return { ok: true, response, grant: grant.value.grant, certificate };
}

function refusal(response: KmsResponse): Failure {
  const counts = { count: response.count, threshold: response.threshold, response };
  switch (response.reason) {
    case 'clock_skew':
      return {
        ...failure(
          'clock_skew',
          "the host refused: this machine's clock differs from the host's by more than 4 hours",
        ),
        ...counts,
      };
    case 'product_not_served':
      return {
        ...failure('product_not_served', 'the host cannot activate this product'),
        ...counts,
      };
    case 'maintenance':
      return {
        ...failure('maintenance', 'the host is in maintenance and activates nobody'),
        ...counts,
      };
    default:
      return { ...failure('host_error', 'the host failed to answer this request'), ...counts };
  }
}

function echoMismatch(response: KmsResponse, request: KmsRequest): string | null {
  if (response.nonce !== request.nonce) return 'nonce';
  if (response.clientMachineId !== request.clientMachineId) return 'client machine ID';
  if (response.activationId !== request.activationId) return 'activation ID';
  return null;
}

function grantMismatch(
  grant: VolumeGrant,
  response: KmsResponse,
  request: KmsRequest,
): string | null {
  if (grant.nonce !== request.nonce) return 'nonce';
  if (grant.clientMachineId !== request.clientMachineId) return 'client machine ID';
  if (grant.activationId !== request.activationId) return 'activation ID';
  // The grant is the signed statement of an activation: every field the answer repeats must
  // equal it, or an unsigned answer could say something the host never signed.
  if (grant.expiresAt !== response.validUntil) return 'validity';
  if (grant.count !== response.count) return 'count';
  if (grant.issuedAt !== response.hostTime) return 'host time';
  if (grant.extendedProductId !== response.extendedProductId) return 'extended product ID';
  if (
    grant.activationIntervalMinutes !== response.activationIntervalMinutes ||
    grant.renewalIntervalMinutes !== response.renewalIntervalMinutes
  ) {
    return 'intervals';
  }
  return null;
}

function errorFrame(frame: Frame): Failure {
  const decoded = decodeError(frame);
  if (!decoded.ok) return failure('protocol', 'the host sent an unreadable error');
  const { problem, message } = decoded.value;
  if (problem === 'busy') return failure('busy', `the host is busy: ${message}`);
  if (problem === 'timeout') return failure('timeout', `the host timed out: ${message}`);
  return failure('protocol', `the host refused the request (${problem}): ${message}`);
}

function failure(cause: FailureCause, detail: string): Failure {
  return { ok: false, cause, detail };
}
