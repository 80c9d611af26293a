import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where each part of a store lives inside its home folder. */
export interface StorePaths {
  readonly home: string;
  readonly database: string;
  readonly backup: string;
  readonly privateDir: string;
  readonly secrets: string;
  readonly licenceDir: string;
}

/** The layout of a store home; the licence folder defaults to `licences/` inside it. */
export function storePaths(home: string, licenceDir?: string): StorePaths {
  const privateDir = join(home, 'private');
  return {
    home,
    database: join(home, 'store.db'),
    backup: join(home, 'state.json'),
    privateDir,
    secrets: join(privateDir, 'secrets.json'),
    licenceDir: licenceDir ?? join(home, 'licences'),
  };
}

/** Creates the home, readable by all. */
export function ensureHome(paths: StorePaths): void {
  mkdirSync(paths.home, { recursive: true, mode: 0o755 });
}

/** Creates the private folder, for the owner only. */
export function ensurePrivateFolder(paths: StorePaths): void {
  mkdirSync(paths.privateDir, { recursive: true, mode: 0o700 });
}

/**
 * Replaces a file so that a reader sees the old or the new content, never a mix, even after
 * kill -9 or a power cut: write a temporary file, flush it, rename it over the old one.
 */
export function writeFileAtomic(path: string, content: string, mode: number): void {
  const temporary = join(dirname(path), `.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(temporary, 'w', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}
