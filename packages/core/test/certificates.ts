// Throwaway X.509 certificates for token-activation tests, made with the openssl command.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A CA and a leaf certificate it issued, with the leaf's private key. */
export interface TestPki {
  readonly caPem: string;
  readonly leafPem: string;
  readonly leafKeyPem: string;
}

/** Makes a CA and a leaf (Ed25519 keys) whose subject CN is `subject`. */
export function makePki(subject = 'Lab Workstation'): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'slm-pki-'));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  try {
    openssl('genpkey', '-algorithm', 'ed25519', '-out', at('ca.key'));
    openssl(
      'req',
      '-x509',
      '-new',
      '-key',
      at('ca.key'),
      '-subj',
      '/CN=Lab Token CA',
      '-days',
      '3650',
      '-out',
      at('ca.pem'),
    );
    openssl('genpkey', '-algorithm', 'ed25519', '-out', at('leaf.key'));
    openssl(
      'req',
      '-new',
      '-key',
      at('leaf.key'),
      '-subj',
      `/CN=${subject}`,
      '-out',
      at('leaf.csr'),
    );
    writeFileSync(at('ext'), 'basicConstraints=CA:FALSE\n');
    openssl(
      'x509',
      '-req',
      '-in',
      at('leaf.csr'),
      '-CA',
      at('ca.pem'),
      '-CAkey',
      at('ca.key'),
      '-CAcreateserial',
      '-days',
      '3650',
      '-extfile',
      at('ext'),
      '-out',
      at('leaf.pem'),
    );
    const read = (name: string) => readFileSync(at(name), 'utf8');
    return { caPem: read('ca.pem'), leafPem: read('leaf.pem'), leafKeyPem: read('leaf.key') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
