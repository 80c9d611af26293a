import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Served, serve, slmApi } from './binary.js';

let dir: string;
let vendor: string;
let token: string;
let cert: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slm-tls-'));
  vendor = join(dir, 'vendor');
  token = (await slmApi(['init', vendor])).stdout.match(/slm_at_[A-Za-z0-9_-]+/)?.[0] ?? '';
  // A throwaway self-signed certificate for 127.0.0.1.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'tls.key'),
      '-out',
      join(dir, 'tls.crt'),
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  cert = await readFile(join(dir, 'tls.crt'), 'utf8');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function configure(change: (config: Record<string, unknown>) => void) {
  const file = join(vendor, 'config.json');
  const config = JSON.parse(await readFile(file, 'utf8'));
  change(config);
  await writeFile(file, JSON.stringify(config));
}

function getOverTls(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      { ca: cert, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('slm-api serve with TLS', () => {
  it('when TLS is configured then it serves HTTPS and administration works over it', async () => {
    await configure((config) => {
      config.tls = { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') };
    });
    let served: Served | undefined;
    try {
      served = await serve(vendor);
      expect(served.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const answer = await getOverTls(served.url, '/v1/admin/keys');
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ keys: [], next: null });
    } finally {
      await served?.stop();
    }
  });

  it('when the config is invalid then it refuses to start and names the field', async () => {
    await configure((config) => {
      config.listen = { host: '127.0.0.1', port: 'eighty' };
    });
    const started = await slmApi(['serve', vendor]);
    expect(started.code).toBe(1);
    expect(started.stderr).toContain('listen.port');
  });
});
