import type { z } from 'zod';
import { splitDocument } from '../documents/document.js';
import { fail, ok, type Result } from '../result.js';
import {
  type HostCertificate,
  hostCertificateSchema,
  machineGrantSchema,
  type StoredGrant,
  type VolumeGrant,
  volumeGrantSchema,
} from './schema.js';
import { issuanceLicenceSchema } from './token-schema.js';
import { readHostCertificate, readVolumeGrant } from './verify.js';

// Full validation of signed documents where they enter: a volume client reading a host's answer,
// a machine storing a new grant. The display path re-checks stored documents with shapes only.

const fits = (schema: z.ZodType) => (payload: unknown) => schema.safeParse(payload).success;

/** Opens and fully validates a volume host certificate signed by the vendor key. */
export function openHostCertificate(text: string, vendorKey: string): Result<HostCertificate> {
  return readHostCertificate(text, vendorKey, fits(hostCertificateSchema));
}

/** Opens and fully validates a volume grant and the certificate of the host that signed it. */
export function openVolumeGrant(
  text: string,
  hostCertificate: string,
  vendorKey: string,
): Result<{ grant: VolumeGrant; certificate: HostCertificate }> {
  const checks = { certificate: fits(hostCertificateSchema), volume: fits(volumeGrantSchema) };
  return readVolumeGrant(text, hostCertificate, vendorKey, checks);
}

/** Validates every signed document of a grant about to be stored against its full schema. */
export function validateStoredGrant(grant: StoredGrant): Result<true> {
  switch (grant.kind) {
    case 'online':
    case 'extension':
      return payloadFits(grant.document, machineGrantSchema);
    case 'volume': {
      const certificate = payloadFits(grant.hostCertificate, hostCertificateSchema);
      return certificate.ok ? payloadFits(grant.document, volumeGrantSchema) : certificate;
    }
    case 'token':
      return payloadFits(grant.issuanceLicence, issuanceLicenceSchema);
    case 'phone':
      return ok(true);
  }
}

function payloadFits(text: string, schema: z.ZodType): Result<true> {
  const parts = splitDocument(text);
  if (!parts.ok) return parts;
  const parsed = schema.safeParse(parts.value.payload);
  if (parsed.success) return ok(true);
  const field = parsed.error.issues[0]?.path.join('.') ?? '';
  return fail('grant.malformed', `the ${parts.value.kind} document has an invalid field ${field}`);
}
