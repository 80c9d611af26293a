import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogText, KEYS, makeHome, VENDOR } from './fixtures.js';
import { expectError, slmgrBinary } from './harness.js';

function catalogFile(home: string, name: string, issuedAt: string, initialGraceDays: number) {
  const path = join(home, '..', name);
  writeFileSync(path, catalogText(VENDOR, { issuedAt, initialGraceDays }));
  return path;
}

describe('installing an older catalog of the same vendor', () => {
  it('when a catalog issued earlier comes after a later one then it is refused and the grace stays', async () => {
    const home = makeHome();
    const newer = catalogFile(home, 'new.signed', '2025-03-01T00:00:00Z', 30);
    const older = catalogFile(home, 'old.signed', '2025-02-01T00:00:00Z', 90);
    expect((await slmgrBinary(home, ['/ilc', newer])).status).toBe(0);
    expect((await slmgrBinary(home, ['/ipk', KEYS.retail])).status).toBe(0);
    const before = await slmgrBinary(home, ['/xpr', '--json']);

    const call = await slmgrBinary(home, ['/ilc', older]);
    expectError(call, 5, 'catalog.older', 'old.signed is an older catalog');
    expect(call.stderr).toContain('2025-03-01T00:00:00Z');
    expect(await slmgrBinary(home, ['/xpr', '--json'])).toEqual(before);
  });

  it('when the same catalog is installed again then nothing changes and it succeeds', async () => {
    const home = makeHome();
    const newer = catalogFile(home, 'new.signed', '2025-03-01T00:00:00Z', 30);
    expect((await slmgrBinary(home, ['/ilc', newer])).status).toBe(0);
    const again = await slmgrBinary(home, ['/ilc', newer]);
    expect(again).toMatchObject({ status: 0, stdout: expect.stringContaining('Nothing changed') });
  });

  it('when /rilc finds an older copy of the installed catalog in the licence folder then it skips it', async () => {
    const home = makeHome();
    const newer = catalogFile(home, 'new.signed', '2025-03-01T00:00:00Z', 30);
    expect((await slmgrBinary(home, ['/ilc', newer])).status).toBe(0);
    writeFileSync(
      join(home, 'licences', 'zz-old.slm'),
      catalogText(VENDOR, { issuedAt: '2025-02-01T00:00:00Z', initialGraceDays: 90 }),
    );
    const before = await slmgrBinary(home, ['/dlv', '--json']);
    const call = await slmgrBinary(home, ['/rilc']);
    expect(call.status).toBe(0);
    expect(call.stdout).toContain('Skipped zz-old.slm');
    expect(await slmgrBinary(home, ['/dlv', '--json'])).toEqual(before);
  });
});
