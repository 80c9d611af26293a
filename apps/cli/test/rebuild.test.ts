import { closeSync, openSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { issueConfirmationId, parseInstallationId } from '@slm/core';
import { describe, expect, it } from 'vitest';
import { catalogText, issuanceLicence, KEYS, makeHome, VENDOR } from './fixtures.js';
import { slmgr, slmgrJson } from './harness.js';

const ILID = 'd0000000-0000-4000-8000-000000000007';

/** A home whose licence folder is empty: the catalog lives elsewhere and comes in with /ilc. */
function homeWithCatalogElsewhere(): { home: string; catalog: string } {
  const home = makeHome();
  rmSync(join(home, 'licences'), { recursive: true });
  const catalog = join(home, '..', 'vendor-catalog.slm');
  writeFileSync(catalog, catalogText());
  return { home, catalog };
}

async function activateByPhone(home: string): Promise<void> {
  const { doc } = await slmgrJson(home, ['/dti']);
  const content = parseInstallationId(doc.result.installationId);
  if (!content.ok) throw content.error;
  const cid = issueConfirmationId(content.value, VENDOR.privateKeyPem).compact;
  expect((await slmgr(home, ['/atp', cid])).status).toBe(0);
}

function damageHeader(home: string): void {
  const fd = openSync(join(home, 'store.db'), 'r+');
  writeSync(fd, Buffer.alloc(100, 0x5a), 0, 100, 0);
  closeSync(fd);
}

describe('/rilc after the catalog came in with /ilc FILE', () => {
  it('when the store is damaged then /rilc keeps the activation, since /ilc kept a copy in the licence folder', async () => {
    const { home, catalog } = homeWithCatalogElsewhere();
    const installed = await slmgr(home, ['/ilc', catalog]);
    expect(installed.stdout).toContain(`a copy is kept in ${join(home, 'licences')}`);
    await slmgr(home, ['/ipk', KEYS.retail]);
    await activateByPhone(home);
    damageHeader(home);

    const rebuilt = await slmgr(home, ['/rilc']);
    expect(rebuilt.stdout).toContain('Reinstalled 1 licence file(s)');
    expect(rebuilt.stdout).toContain('Kept 1 activation(s) whose grants still verify; dropped 0.');
    expect(rebuilt.stdout).not.toContain('Nothing changed');
    expect((await slmgr(home, ['/dli'])).stdout).toContain('License Status: Licensed');
  });

  it('when an issuance licence installed with /ilc is removed with /ril then /rilc does not bring it back', async () => {
    const { home, catalog } = homeWithCatalogElsewhere();
    await slmgr(home, ['/ilc', catalog]);
    const token = join(home, '..', 'token.slm');
    writeFileSync(token, issuanceLicence(ILID, 1));
    await slmgr(home, ['/ilc', token]);
    expect(readdirSync(join(home, 'licences'))).toHaveLength(2);
    await slmgr(home, ['/ril', ILID, '1']);
    damageHeader(home);
    await slmgr(home, ['/rilc']);
    expect((await slmgr(home, ['/lil'])).stdout).toBe('No issuance licence is installed.\n');
  });

  it('when /ilc names a file already in the licence folder then no second copy is made', async () => {
    const home = makeHome();
    await slmgr(home, ['/ilc', join(home, 'licences', 'catalog.slm')]);
    expect(readdirSync(join(home, 'licences'))).toEqual(['catalog.slm']);
  });

  it('when the licence folder is empty then the rebuild does not say nothing changed', async () => {
    const { home } = homeWithCatalogElsewhere();
    await slmgr(home, ['/skms', 'kms.example']);
    damageHeader(home);
    const rebuilt = await slmgr(home, ['/rilc']);
    expect(rebuilt.stdout).toContain('and rebuilt.');
    expect(rebuilt.stdout).toContain('holds no licence files to reinstall');
    expect(rebuilt.stdout).not.toContain('Nothing changed');
  });
});
