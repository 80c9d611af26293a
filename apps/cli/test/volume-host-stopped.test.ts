import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  certifyHost,
  expectOk,
  local,
  scratch,
  slmgrProcess,
  startVolumeHost,
  VOLUME_KEYS,
  volumeHome,
} from './volume-fixtures.js';

/** A volume host home as slmgr leaves it after /ipk HOSTKEY and /ato. */
async function hostHome(parent: string, name: string): Promise<string> {
  const home = volumeHome(parent, name);
  expectOk(await local(home, ['/ipk', VOLUME_KEYS.host]));
  expectOk(await local(home, ['/cdns']));
  certifyHost(home);
  return home;
}

describe('/dlv on a volume host whose slm-kms did not stop cleanly', () => {
  const folder = scratch();
  afterAll(() => folder.remove());

  describe('when slm-kms was killed with SIGKILL', () => {
    let home: string;
    let pid: number;

    beforeAll(async () => {
      home = await hostHome(folder.dir, 'killed');
      const host = await startVolumeHost(home);
      pid = host.pid;
      await host.kill('SIGKILL');
    });

    it('then /dlv says the host is not running, with when it was last seen', async () => {
      const dlv = await slmgrProcess(home, ['/dlv']);
      expectOk(dlv);
      expect(dlv.stdout).not.toContain(`running (pid ${pid})`);
      expect(dlv.stdout).toMatch(
        /Status: not running \(stopped unexpectedly; last seen \d{4}-\d\d-\d\dT[\d:.]+Z\)\n/,
      );
      expect(dlv.stdout).toContain('Current count: 0 (no client has asked yet)');
      expect(dlv.stdout).toContain('Total requests received: 0');
    });

    it('then /dlv --json says running false and stopped unexpectedly', async () => {
      const dlv = await slmgrProcess(home, ['/dlv', '--json']);
      expect(JSON.parse(dlv.stdout).result.products[0].hostStatus).toMatchObject({
        running: false,
        stoppedUnexpectedly: true,
        pid,
        requests: { total: 0 },
      });
    });
  });

  it('when the status file has not been refreshed for a minute then the host is not running, even if its pid is in use', async () => {
    const home = await hostHome(folder.dir, 'stale');
    const lastSeen = Date.now() - 60_000;
    writeStatus(home, { pid: process.pid, updatedAt: lastSeen, counts: {}, requests: 12 });
    const dlv = await local(home, ['/dlv']);
    expect(dlv.stdout).toContain(
      `Status: not running (stopped unexpectedly; last seen ${new Date(lastSeen).toISOString()})`,
    );
    expect(dlv.stdout).toContain('Total requests received: 12');
  });

  it('when the status file is fresh and its process alive then the host is running', async () => {
    const home = await hostHome(folder.dir, 'fresh');
    writeStatus(home, { pid: process.pid, updatedAt: Date.now(), counts: {}, requests: 3 });
    const dlv = await local(home, ['/dlv']);
    expect(dlv.stdout).toContain(`Status: running (pid ${process.pid})`);
  });
});

/** A status file as slm-kms writes it while running (it never rewrites it after SIGKILL). */
function writeStatus(
  home: string,
  status: { pid: number; updatedAt: number; counts: Record<string, number>; requests: number },
): void {
  const file = {
    pid: status.pid,
    running: true,
    startedAt: status.updatedAt - 3_600_000,
    updatedAt: status.updatedAt,
    port: 1688,
    addresses: ['127.0.0.1'],
    settings: { dnsPublishing: false, lowPriority: false },
    maintenance: false,
    extendedProductId: 'unused',
    counts: status.counts,
    counters: { requests: status.requests },
    dns: null,
  };
  mkdirSync(join(home, 'volume-host'), { recursive: true });
  writeFileSync(join(home, 'volume-host', 'status.json'), JSON.stringify(file));
}
