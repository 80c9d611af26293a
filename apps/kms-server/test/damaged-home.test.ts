// slm-kms started on a home whose identity or counting database is damaged: it names the file,
// says what to do, exits with the documented status and changes nothing.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKey } from '@slm/core';
import { describe, expect, it } from 'vitest';
import { makeHome, runBinary } from './binary.js';

const identityFile = (home: string) => join(home, 'private', 'volume-host.json');

/** Rewrites one field of the identity file that makeHome left. */
function setHostKey(home: string, hostPrivateKeyPem: string): void {
  const file = JSON.parse(readFileSync(identityFile(home), 'utf8'));
  writeFileSync(identityFile(home), JSON.stringify({ ...file, hostPrivateKeyPem }));
}

const start = (home: string) =>
  runBinary(['run', '--listen', '127.0.0.1', '--port', '0'], {
    SLM_HOME: home,
  });

describe('slm-kms on a damaged home', () => {
  it('when hostPrivateKeyPem is garbage then it is an identity error naming the file, exit 3', () => {
    const { home } = makeHome();
    setHostKey(home, 'not a key at all');
    const result = start(home);
    expect(result.status).toBe(3);
    expect(result.stderr).toContain(`${identityFile(home)}: hostPrivateKeyPem is not an Ed25519`);
    expect(result.stderr).toContain('slmgr /ato');
    expect(result.stderr).not.toContain('unexpected failure');
  });

  it('when hostPrivateKeyPem is another key than the certificate is for then exit 3, and the key is not shown', () => {
    const { home } = makeHome();
    const other = generateSigningKey().privateKeyPem;
    setHostKey(home, other);
    const result = start(home);
    expect(result.status).toBe(3);
    expect(result.stderr).toContain(
      `${identityFile(home)}: the host certificate is for another host key`,
    );
    const body = other.split('\n')[1] ?? other;
    expect(result.stderr).not.toContain(body);
  });

  it('when the identity file is not JSON then exit 3 naming it', () => {
    const { home } = makeHome();
    writeFileSync(identityFile(home), '{"hostPrivateKeyPem":');
    const result = start(home);
    expect(result.status).toBe(3);
    expect(result.stderr).toContain(`${identityFile(home)} is not a volume host identity`);
  });

  it('when counts.db is not a database then it names the file and what to do, exit 1, and leaves it as it was', () => {
    const { home } = makeHome();
    const folder = join(home, 'volume-host');
    const counts = join(folder, 'counts.db');
    mkdirSync(folder, { recursive: true });
    const garbage = Buffer.from('this was a counting database once\n'.repeat(200));
    writeFileSync(counts, garbage);
    const before = readdirSync(folder).sort();

    const result = start(home);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`the counting database ${counts} is damaged`);
    expect(result.stderr).toContain('move it aside');
    expect(result.stderr).toContain('the counts rebuild as client machines renew');
    expect(result.stderr).not.toContain('unexpected failure');
    expect(readdirSync(folder).sort()).toEqual(before);
    expect(readFileSync(counts).equals(garbage)).toBe(true);
  });
});
