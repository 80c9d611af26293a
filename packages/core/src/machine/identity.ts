import { sha256, toHex } from '../crypto.js';

/** Randomness comes in from the adapter, so core stays pure and tests stay repeatable. */
export type RandomBytes = (size: number) => Uint8Array;

/**
 * What a grant is bound to: salted hashes of the machine's identity components, and one
 * fingerprint over them. The salt is per product, so two vendors cannot correlate a machine.
 */
export interface MachineBinding {
  /** 32 hex characters: the hash over the sorted component hashes. */
  readonly fingerprint: string;
  /** One 32-hex hash per component (OS machine id, host name, CPU, store id, …), sorted. */
  readonly components: readonly string[];
}

const FINGERPRINT_SCHEME = 'slm-fp/1';

/** Hashes identity components (read by the adapter) into a per-product machine binding. */
export function machineFingerprint(
  components: Readonly<Record<string, string>>,
  productSalt: string,
): MachineBinding {
  const hashes = Object.entries(components)
    .map(([name, value]) => hash32([FINGERPRINT_SCHEME, productSalt, name, value].join('\0')))
    .sort();
  return { fingerprint: fingerprintOfComponents(hashes), components: hashes };
}

/** The fingerprint over a list of component hashes, as `machineFingerprint` computes it. */
export function fingerprintOfComponents(componentHashes: readonly string[]): string {
  return hash32(`${FINGERPRINT_SCHEME}\0${[...componentHashes].sort().join(',')}`);
}

/** How many components bound at activation time are missing or changed now. */
export function bindingDrift(bound: readonly string[], current: readonly string[]): number {
  const now = new Set(current);
  return bound.filter((component) => !now.has(component)).length;
}

/** A fresh client machine ID: a random version-4 GUID. */
export function newClientMachineId(randomBytes: RandomBytes): string {
  const bytes = randomBytes(16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = toHex(bytes);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ].join('-');
}

function hash32(text: string): string {
  return toHex(sha256(text)).slice(0, 32);
}
