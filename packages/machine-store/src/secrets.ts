import { readFileSync } from 'node:fs';
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
  const parsed = JSON.parse(text) as Partial<Secrets>;
  return { productKeys: { ...parsed.productKeys } };
}

/** Replaces the secrets file atomically, readable and writable by its owner only (0600). */
export function writeSecrets(path: string, secrets: Secrets): void {
  writeFileAtomic(path, `${JSON.stringify(secrets)}\n`, 0o600);
}
