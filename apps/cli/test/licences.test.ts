import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKey } from '@slm/core';
import { describe, expect, it } from 'vitest';
import { catalogText, issuanceLicence, makeHome } from './fixtures.js';
import { expectError, slmgr } from './harness.js';

const ILID = 'd0000000-0000-4000-8000-000000000009';

function file(home: string, name: string, text: string): string {
  const path = join(home, '..', name);
  writeFileSync(path, text);
  return path;
}

describe('licence files', () => {
  it('when an issuance licence is installed then /lil lists it and /ril removes it', async () => {
    const home = makeHome();
    const path = file(home, 'token.slm', issuanceLicence(ILID, 2));
    expect((await slmgr(home, ['/ilc', path])).stdout).toContain('Installed the issuance licence');
    expect((await slmgr(home, ['/ilc', path])).stdout).toContain('Nothing changed');
    const listed = (await slmgr(home, ['/lil'])).stdout;
    expect(listed).toContain(`License ID (ILID): ${ILID}`);
    expect(listed).toContain('Version ID (ILvID): 2');
    expect((await slmgr(home, ['/ril', ILID, '2'])).stdout).toContain('Removed issuance licence');
    expect((await slmgr(home, ['/lil'])).stdout).toBe('No issuance licence is installed.\n');
  });

  it('when /ril names a licence that is not installed then licence.not_found, exit 4', async () => {
    expectError(await slmgr(makeHome(), ['/ril', ILID, '1']), 4, 'licence.not_found');
  });

  it('when the ILvID is not an integer then it is a usage error', async () => {
    expectError(
      await slmgr(makeHome(), ['/ril', ILID, '1.5']),
      2,
      'usage.invalid_argument',
      'whole number',
    );
  });

  it('when the file does not exist then cli.file_unreadable names it', async () => {
    expectError(
      await slmgr(makeHome(), ['/ilc', '/nonexistent.slm']),
      3,
      'cli.file_unreadable',
      '/nonexistent.slm',
    );
  });

  it('when a catalog is tampered with then its signature is refused, exit 6', async () => {
    const home = makeHome();
    const [v, kind, payload, sig] = catalogText().split('.');
    const json = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    json.products[0].name = 'Forged';
    const forged = [v, kind, Buffer.from(JSON.stringify(json)).toString('base64url'), sig].join(
      '.',
    );
    expectError(
      await slmgr(home, ['/ilc', file(home, 'forged.slm', forged)]),
      6,
      'catalog.signature',
    );
  });

  it('when an issuance licence comes from an unknown vendor then it is untrusted', async () => {
    const home = makeHome();
    const other = catalogText(generateSigningKey());
    const path = file(home, 'other.slm', other.replace('catalog', 'issuance-licence'));
    expect((await slmgr(home, ['/ilc', path])).status).not.toBe(0);
  });

  it('when /rilc runs then the folder is reinstalled and extra licences stay', async () => {
    const home = makeHome();
    await slmgr(home, ['/ilc', file(home, 'token.slm', issuanceLicence(ILID, 3))]);
    const call = await slmgr(home, ['/rilc']);
    expect(call.stdout).toContain('Reinstalled 2 licence file(s)');
    expect((await slmgr(home, ['/lil'])).stdout).toContain(ILID);
  });
});
