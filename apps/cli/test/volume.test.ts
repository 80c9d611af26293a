import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { machineFacts } from '../src/system.js';
import { runCaptured } from './harness.js';
import {
  certifyHost,
  deadPort,
  expectOk,
  type HostProcess,
  local,
  scratch,
  slmgrProcess,
  startVolumeHost,
  statusShows,
  VOLUME_KEYS,
  VOLUME_SKU,
  volumeClient,
  volumeHome,
} from './volume-fixtures.js';

/** Runs slmgr as this machine with its clock `offset` ms off the host's. */
const skewed = (home: string, argv: string[], offset: number) =>
  runCaptured(argv, {
    env: { SLM_HOME: home },
    now: () => Date.now() + offset,
    randomBytes: (size) => new Uint8Array(randomBytes(size)),
    machineFacts,
    readStdin: () => '',
  });

/** A server edition machine (threshold 5) that finds the host pinned with /skms. */
const client = (parent: string, machine: string, where: string) =>
  volumeClient(parent, machine, VOLUME_KEYS.server, ['/skms', where]);

describe('volume activation against a real slm-kms', () => {
  const folder = scratch();
  let hostHome: string;
  let host: HostProcess;
  let live: string;

  beforeAll(async () => {
    hostHome = volumeHome(folder.dir, 'host');
    expectOk(await local(hostHome, ['/ipk', VOLUME_KEYS.host]));
    expectOk(await local(hostHome, ['/cdns']));
    certifyHost(hostHome);
    host = await startVolumeHost(hostHome);
    live = `127.0.0.1:${host.port}`;
  });

  afterAll(async () => {
    await host?.stop();
    folder.remove();
  });

  it('when fewer than 5 machines asked then each is refused with the count, and the 5th is Licensed for 180 days', async () => {
    const clients = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => client(folder.dir, `client-${n}`, live)),
    );
    for (const [index, home] of clients.slice(0, 3).entries()) {
      const refused = await slmgrProcess(home, ['/ato']);
      expect(refused.status).toBe(5);
      expect(refused.stderr).toContain('Error activation.unavailable: no volume host activated');
      expect(refused.stderr).toContain(`${live}: count below threshold (${index + 1} of 5)`);
    }
    const fourth = await slmgrProcess(clients[3] ?? '', ['/ato', '--json']);
    expect(fourth.status).toBe(5);
    expect(JSON.parse(fourth.stdout).error).toMatchObject({
      code: 'activation.unavailable',
      exitStatus: 5,
      details: { attempts: [{ host: live, cause: 'below_threshold', count: 4, threshold: 5 }] },
    });

    const fifth = clients[4] ?? '';
    const activated = await slmgrProcess(fifth, ['/ato']);
    expectOk(activated);
    expect(activated.stdout).toContain(`Product activated successfully by volume host ${live}.`);
    expect(activated.stdout).toMatch(/Licensed until \S+ \(180 days\)\./);
    expect(activated.stdout).toContain('Volume host count: 5 (this product needs 5).');
    expect(activated.stdout).toContain('Activation interval: 120 minutes; renewal interval:');
    const dli = await slmgrProcess(fifth, ['/dli']);
    expect(dli.stdout).toContain('License Status: Licensed');
    expect(dli.stdout).toMatch(/Licence expires in: \d+ minute\(s\) \(180 day\(s\)\)/);

    const renewed = await local(fifth, ['/ato']);
    expect(renewed.stdout).toContain(`Product renewed successfully by volume host ${live}.`);
  });

  it('when the pinned host is a dead port then /ato names it as refused, and the live one activates', async () => {
    const dead = `127.0.0.1:${await deadPort()}`;
    const home = await client(folder.dir, 'pinned', dead);
    const refused = await slmgrProcess(home, ['/ato']);
    expect(refused.status).toBe(5);
    expect(refused.stderr).toContain(`${dead}: refused the connection`);

    expectOk(await local(home, ['/skms', live]));
    const activated = await slmgrProcess(home, ['/ato', '--json']);
    expect(JSON.parse(activated.stdout)).toMatchObject({
      ok: true,
      result: { volumeHost: live, count: 6, threshold: 5, renewed: false, attempts: [] },
    });
  });

  it('when token-only activation is on then /ato asks no host and advises only what slmgr offers', async () => {
    const home = await client(folder.dir, 'token-only', live);
    expectOk(await local(home, ['/stao']));
    const refused = await slmgrProcess(home, ['/ato']);
    expect(refused.status).toBe(5);
    expect(refused.stderr).toMatch(
      /^Error activation\.token_only: volume activation is turned off/,
    );
    expect(refused.stderr).toContain('token activation is not available in this version of slmgr');
    expect(refused.stderr).toContain('allow volume activation again with slmgr /act-type 0');
    expect(refused.stderr).not.toContain('/fta');
  });

  it('when only the product is token-only then the advice names its activation ID', async () => {
    const home = await client(folder.dir, 'token-only-product', live);
    expectOk(await local(home, ['/act-type', '3', VOLUME_SKU.server]));
    const refused = await slmgrProcess(home, ['/ato']);
    expect(refused.status).toBe(5);
    expect(refused.stderr).toContain(`slmgr /act-type 0 ${VOLUME_SKU.server}`);
  });

  it('when the host has answered then /dlv on the host shows counts, requests and settings', async () => {
    await statusShows(hostHome, 7);
    const dlv = await slmgrProcess(hostHome, ['/dlv']);
    expectOk(dlv);
    expect(dlv.stdout).toMatch(/Status: running \(pid \d+\)/);
    expect(dlv.stdout).toContain(`Listening on: 127.0.0.1 port ${host.port}`);
    expect(dlv.stdout).toContain(
      `Listening on port: 1688 (set with /sprt); running on ${host.port} (--port)`,
    );
    expect(dlv.stdout).toContain('Current count (Volume Example Server): 6');
    expect(dlv.stdout).toContain('DNS publishing: disabled');
    expect(dlv.stdout).toContain('Priority: normal');
    expect(dlv.stdout).toContain('Total requests received: 7');
    expect(dlv.stdout).toContain('Activated: 3; below threshold: 4; failed (refused): 0');
    const json = JSON.parse((await local(hostHome, ['/dlv', '--json'])).stdout);
    expect(json.result.products[0].hostStatus).toMatchObject({
      port: host.port,
      portSetting: 1688,
      counts: [{ name: 'Volume Example Server', count: 6 }],
      requests: { total: 7, activated: 3, byLicenceState: { licensed: 1 } },
    });
  });

  it('when the volume host has never run then /dlv says so', async () => {
    const home = volumeHome(folder.dir, 'idle-host');
    expectOk(await local(home, ['/ipk', VOLUME_KEYS.host]));
    const dlv = await local(home, ['/dlv']);
    expect(dlv.stdout).toContain(
      `Volume activation host: has not run yet (no ${join(home, 'volume-host', 'status.json')})`,
    );
  });

  it('when the host refuses for clock skew then /ato names the cause once', async () => {
    const home = await client(folder.dir, 'skewed', live);
    const refused = await skewed(home, ['/ato'], 5 * 3_600_000);
    expect(refused.status).toBe(5);
    const line = refused.stderr.split('\n').find((text) => text.includes(live)) ?? '';
    expect(line).toBe(
      `    ${live}: clock skew: the host refused because this machine's clock differs from the host's by more than 4 hours; set the clock right, then slmgr /ato again`,
    );
  });

  it('when the host is in maintenance then /ato names the cause once', async () => {
    const quietHome = volumeHome(folder.dir, 'host-in-maintenance');
    expectOk(await local(quietHome, ['/ipk', VOLUME_KEYS.host]));
    expectOk(await local(quietHome, ['/cdns']));
    certifyHost(quietHome);
    const quiet = await startVolumeHost(quietHome, ['--maintenance']);
    try {
      const where = `127.0.0.1:${quiet.port}`;
      const refused = await slmgrProcess(await client(folder.dir, 'during-maintenance', where), [
        '/ato',
      ]);
      expect(refused.status).toBe(5);
      const line = refused.stderr.split('\n').find((text) => text.includes(where)) ?? '';
      expect(line).toBe(
        `    ${where}: maintenance: the host is in maintenance and activates nobody; try again later, or another host`,
      );
    } finally {
      await quiet.stop();
    }
  });

  it('when /sprt names the port the host runs on then /dlv shows that port alone', async () => {
    expectOk(await local(hostHome, ['/sprt', String(host.port)]));
    const dlv = await slmgrProcess(hostHome, ['/dlv']);
    expect(dlv.stdout).toContain(`    Listening on port: ${host.port}\n`);
  });
});
