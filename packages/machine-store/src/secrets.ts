import { readFileSync } from 'node:fs';
import { SlmError } from '@slm/core/status';
import { writeFileAtomic } from './files.js';

/** What only the administrator may read: recovery copies of full product keys. */
export interface Secrets {
  readonly productKeys: Readonly<Record<string, string>>;
}

const EMPTY: Secrets = { productKeys: {} };

/** Reads the owner-only secrets file; an absent file holds no secrets. */
export function readSecrets(path: string): Secrets {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY;
    throw error;
  }
  const parsed = parse(text);
  if (parsed === null) throw damagedSecrets(path);
  return parsed;
}

/** The store.corrupt error for an unreadable secrets file: licences do not depend on it. */
export function damagedSecrets(path: string): SlmError {
  return new SlmError(
    'store.corrupt',
    `the secrets file ${path} (the recovery copies of product keys) is damaged; licences are not affected: run slmgr /cpky as administrator to remove it, then install keys again with slmgr /ipk if their copies are needed`,
    { path, cause: 'secrets' },
  );
}

function parse(text: string): Secrets | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const keys = (parsed as { productKeys?: unknown } | null)?.productKeys;
  if (keys === null || typeof keys !== 'object' || Array.isArray(keys)) return null;
  const entries = Object.entries(keys);
  if (entries.some(([, key]) => typeof key !== 'string')) return null;
  return { productKeys: Object.fromEntries(entries) as Record<string, string> };
}

/** Replaces the secrets file atomically, readable and writable by its owner only (0600). */
export function writeSecrets(path: string, secrets: Secrets): void {
  writeFileAtomic(path, `${JSON.stringify(secrets)}\n`, 0o600);
}
