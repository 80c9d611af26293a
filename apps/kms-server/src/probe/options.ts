import { guidSchema, isPublicKey } from '@slm/core';
import { InvalidArgumentError } from 'commander';

/** `--vendor-key`: a base64url Ed25519 public key, as the vendor's catalog names it. */
export function vendorKeyOf(text: string): string {
  if (!isPublicKey(text)) {
    throw new InvalidArgumentError(
      'expected the vendor public key (base64url Ed25519, 43 characters)',
    );
  }
  return text;
}

/** `--product`: an activation ID; any case is accepted and sent in lower case, as clients do. */
export function activationIdOf(text: string): string {
  const parsed = guidSchema.safeParse(text);
  if (!parsed.success) throw new InvalidArgumentError('expected an activation ID (a GUID)');
  return parsed.data;
}

/** `--client-id`: what the protocol carries as a client machine ID. */
export function clientIdOf(text: string): string {
  if (!/^[0-9A-Za-z-]{1,64}$/.test(text)) {
    throw new InvalidArgumentError('expected 1-64 letters, digits or -');
  }
  return text;
}
