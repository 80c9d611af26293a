import { z } from 'zod';
import { guidSchema } from '../catalog/schema.js';
import { openDocument, signDocument } from '../documents/document.js';
import { fail, ok, type Result } from '../result.js';

const instant = z.number().int().nonnegative();

/**
 * An issuance licence: a vendor-signed statement that certificates issued by the named CAs (and
 * meeting the stated conditions) may activate the listed products, until `validTo`.
 */
export const issuanceLicenceSchema = z.object({
  v: z.literal(1),
  ilid: guidSchema,
  ilvid: z.number().int().min(0).max(0x7fff_ffff),
  info: z.string().max(200),
  validTo: instant.nullable(),
  activationIds: z.array(guidSchema).min(1),
  /** Trusted issuing CAs, as PEM certificates. */
  issuers: z.array(z.string().min(1)).min(1),
  /** Refuse keys that are plain software keys (exportable). */
  requireHardwareKey: z.boolean().default(false),
  /** The certificate subject must contain this text, when set. */
  subjectContains: z.string().max(200).nullable().default(null),
});

/** A verified issuance licence. */
export type IssuanceLicence = z.output<typeof issuanceLicenceSchema>;

/** Signs an issuance licence with the vendor key. */
export function issueIssuanceLicence(
  licence: z.input<typeof issuanceLicenceSchema>,
  vendorPrivateKeyPem: string,
): string {
  return signDocument(
    'issuance-licence',
    issuanceLicenceSchema.parse(licence),
    vendorPrivateKeyPem,
  );
}

/** Opens an issuance licence signed by the vendor key. */
export function openIssuanceLicence(text: string, vendorKey: string): Result<IssuanceLicence> {
  const opened = openDocument(text, 'issuance-licence', vendorKey);
  if (!opened.ok) return opened;
  const parsed = issuanceLicenceSchema.safeParse(opened.value);
  return parsed.success
    ? ok(parsed.data)
    : fail('grant.malformed', 'the issuance licence is malformed');
}
