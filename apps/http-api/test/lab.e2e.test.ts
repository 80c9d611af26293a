import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slmApi } from './binary.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slm-lab-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('slm-api lab', () => {
  it('prepares a vendor, keys and the commands to paste, and reuses them when run again', async () => {
    const lab = join(dir, 'lab');
    const first = await slmApi(['lab', lab, '--once']);
    const again = await slmApi(['lab', lab, '--once']);

    expect(first.code).toBe(0);
    expect(first.stderr).toContain('creating a demo vendor');
    expect(again.stderr).not.toContain('creating a demo vendor');
    const keys = JSON.parse(await readFile(join(lab, 'keys.json'), 'utf8'));
    for (const output of [first.stdout, again.stdout]) {
      expect(output).toContain(`export SLM_HOME=${lab}/machines/pc1`);
      expect(output).toContain(`slmgr /ipk ${keys.retail}`);
      expect(output).toContain(`slmgr /ipk ${keys.mak}`);
      expect(output).toContain(`slmgr /ipk ${keys.volumeHost}`);
      expect(output).toMatch(/phone activation +http:\/\/127\.0\.0\.1:\d+\/phone/);
    }
    const signed = await readFile(join(lab, 'vendor', 'catalog.signed'), 'utf8');
    expect(signed).toMatch(/^slm1\.catalog\./);
  });

  it('when the --port asked for is taken then it says so and exits 1, not on a free port', async () => {
    const holder = createServer();
    await new Promise<void>((done) => holder.listen(18616, '127.0.0.1', done));
    try {
      const call = await slmApi(['lab', join(dir, 'taken'), '--port', '18616', '--once']);

      expect(call.code).toBe(1);
      expect(call.stderr).toContain('port 18616 is taken');
      expect(call.stdout).not.toContain('The lab is ready');
    } finally {
      await new Promise((done) => holder.close(done));
    }
  });
});
