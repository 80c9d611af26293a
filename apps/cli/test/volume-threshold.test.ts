// Threshold 25 with real slmgr processes: 25 client machines, each a store of its own, against a
// real slm-kms. Requests whose order does not matter run in parallel batches of 5.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  certifyHost,
  expectOk,
  type HostProcess,
  local,
  type Run,
  scratch,
  slmgrProcess,
  startVolumeHost,
  statusShows,
  VOLUME_KEYS,
  VOLUME_SKU,
  volumeClient,
  volumeHome,
} from './volume-fixtures.js';

/** A client edition machine (threshold 25) that finds the host pinned with /skms. */
const clientMachine = (parent: string, machine: string, where: string) =>
  volumeClient(parent, machine, VOLUME_KEYS.client, ['/skms', where]);

/** Runs `slmgr /ato` on each machine at once and returns the counts they were refused with. */
async function refusedCounts(homes: string[], host: string): Promise<number[]> {
  const calls = await Promise.all(homes.map((home) => slmgrProcess(home, ['/ato'])));
  return calls
    .map((call) => {
      expect(call.status).toBe(5);
      expect(call.stderr).toContain('Error activation.unavailable: no volume host activated');
      const refused = new RegExp(
        `\\n {4}${host.replaceAll('.', '\\.')}: count below threshold \\((\\d+) of 25\\)`,
      );
      return Number(refused.exec(call.stderr)?.[1]);
    })
    .sort((a, b) => a - b);
}

function cmid(dli: Run): string | undefined {
  return /Client Machine ID \(CMID\): (\S+)/.exec(dli.stdout)?.[1];
}

describe('volume activation of a client edition (threshold 25) with real slmgr processes', () => {
  const folder = scratch();
  let hostHome: string;
  let host: HostProcess;
  let live: string;
  let machines: string[];

  beforeAll(async () => {
    hostHome = volumeHome(folder.dir, 'host');
    expectOk(await local(hostHome, ['/ipk', VOLUME_KEYS.host]));
    expectOk(await local(hostHome, ['/cdns']));
    certifyHost(hostHome, [VOLUME_SKU.client]);
    host = await startVolumeHost(hostHome);
    live = `127.0.0.1:${host.port}`;
    machines = [];
    for (let n = 1; n <= 25; n++) machines.push(await clientMachine(folder.dir, `pc-${n}`, live));
  });

  afterAll(async () => {
    await host?.stop();
    folder.remove();
  });

  it('when 24 machines asked then each was refused with its count, a clone does not count, and the 25th is Licensed', async () => {
    for (let first = 0; first < 24; first += 5) {
      const batch = machines.slice(first, Math.min(first + 5, 24));
      const expected = batch.map((_, index) => first + index + 1);
      expect(await refusedCounts(batch, live)).toEqual(expected);
    }

    const original = machines[23] ?? '';
    const clone = join(folder.dir, 'pc-24-clone');
    cpSync(original, clone, { recursive: true });
    expect(cmid(await slmgrProcess(clone, ['/dli']))).toBe(
      cmid(await slmgrProcess(original, ['/dli'])),
    );
    expect(await refusedCounts([clone], live)).toEqual([24]);

    const twentyFifth = await slmgrProcess(machines[24] ?? '', ['/ato']);
    expectOk(twentyFifth);
    expect(twentyFifth.stdout).toContain(`Product activated successfully by volume host ${live}.`);
    expect(twentyFifth.stdout).toContain('Volume host count: 25 (this product needs 25).');
    const dli = await slmgrProcess(machines[24] ?? '', ['/dli']);
    expect(dli.stdout).toContain('License Status: Licensed');
    expect(dli.stdout).toMatch(/Licence expires in: \d+ minute\(s\) \(180 day\(s\)\)/);
  });

  it('when the threshold is reached then a machine refused before is Licensed when it asks again', async () => {
    const first = machines[0] ?? '';
    const before = await slmgrProcess(first, ['/dlv']);
    expect(before.stdout).not.toContain('License Status: Licensed');

    const again = await slmgrProcess(first, ['/ato', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({
      ok: true,
      result: { volumeHost: live, count: 25, threshold: 25, renewed: false, attempts: [] },
    });
    const dlv = await slmgrProcess(first, ['/dlv']);
    expect(dlv.stdout).toContain('License Status: Licensed');
    expect(dlv.stdout).toContain(`Activation ID: ${VOLUME_SKU.client}`);
  });

  it('when 25 machines and a clone asked then /dlv on the host counts 25 client machines', async () => {
    await statusShows(hostHome, 27);
    const dlv = await local(hostHome, ['/dlv']);
    expectOk(dlv);
    expect(dlv.stdout).toContain('Current count (Volume Example Client): 25');
    expect(dlv.stdout).toContain('Total requests received: 27');
    expect(dlv.stdout).toContain('Activated: 2; below threshold: 25; failed (refused): 0');
  });
});
