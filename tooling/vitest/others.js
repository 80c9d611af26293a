// Tests that run a program as another user (setpriv --reuid=65534) need that user to reach the
// checkout. A clone under a private folder (/root, a mktemp -d) is not reachable, so these tests
// add the traverse bit (never the read bit) to the folders above it, and take it back afterwards.
import { chmodSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Lets other users traverse every folder above `path`; returns a function that undoes it. */
export function letOthersReach(path) {
  const changed = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    const mode = statSync(dir).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, mode | 0o001);
      changed.push([dir, mode]);
    }
    if (dirname(dir) === dir) break;
  }
  return () => {
    for (const [dir, mode] of changed.reverse()) chmodSync(dir, mode);
  };
}
