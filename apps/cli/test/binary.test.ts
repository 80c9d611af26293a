import { execFile, spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { MachineState } from '@slm/core';
import { openMachineStore } from '@slm/machine-store';
import { letOthersReach } from '@slm/vitest-preset/others';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuanceLicence, KEYS, makeHome, SKU } from './fixtures.js';

const BIN = new URL('../bin/slmgr.js', import.meta.url).pathname;
const run = promisify(execFile);

async function bin(home: string, argv: string[], nobody = false) {
  const command = nobody ? 'setpriv' : process.execPath;
  const prefix = nobody
    ? ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath]
    : [];
  try {
    const { stdout, stderr } = await run(command, [...prefix, BIN, ...argv], {
      env: { ...process.env, SLM_HOME: home },
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { status: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

describe('the slmgr binary', () => {
  let restore = () => {};
  beforeAll(() => {
    restore = letOthersReach(new URL('.', import.meta.url).pathname);
  });
  afterAll(() => restore());

  it('when run by a non-administrator then displays work, changes are refused and no full key leaks', async () => {
    const home = makeHome();
    expect((await bin(home, ['/ipk', KEYS.retail])).status).toBe(0);
    const dli = await bin(home, ['/dlv'], true);
    expect(dli.status).toBe(0);
    expect(dli.stdout).toContain(`Partial Product Key: ${KEYS.retail.slice(-5)}`);
    const change = await bin(home, ['/skms', 'kms.example'], true);
    expect({ status: change.status, stderr: change.stderr }).toEqual({
      status: 7,
      stderr: expect.stringContaining('Error store.permission:'),
    });
    const readable = filesUnder(home).filter((path) => (statSync(path).mode & 0o004) !== 0);
    const compact = KEYS.retail.replaceAll('-', '');
    for (const path of readable)
      expect(readFileSync(path, 'latin1').replaceAll('-', '')).not.toContain(compact);
  });

  it('when 20 processes change settings at once and another is killed mid-write then nothing is lost', async () => {
    const home = makeHome();
    await bin(home, ['/ipk', KEYS.volume]);
    await bin(home, ['/ipk', KEYS.host]);
    const changes = [
      ['/skms', 'kms.example'],
      ['/skms-domain', 'corp.example'],
      ['/ckhc'],
      ['/act-type', '2'],
      ['/sai', '60'],
      ['/sri', '20160'],
      ['/sprt', '1700'],
      ['/cdns'],
      ['/cpri'],
      ...[SKU.retail, SKU.volume, SKU.host, SKU.noRearm].flatMap((id, i) => [
        ['/skms', `kms${i}.example`, id],
        ['/skms-domain', `d${i}.example`, id],
        ['/act-type', '3', id],
      ]),
    ].slice(0, 20);
    const victim = spawn(process.execPath, [BIN, '/ilc', writeBig(home)], {
      env: { ...process.env, SLM_HOME: home },
    });
    const runs = changes.map((argv) => bin(home, argv));
    await new Promise((resolve) => setTimeout(resolve, 150));
    victim.kill('SIGKILL');
    const results = await Promise.all(runs);
    expect(results.filter((r) => r.status !== 0)).toEqual([]);

    const state = readState(home);
    expect(state.settings).toMatchObject({
      kms: { host: 'kms.example', domain: 'corp.example' },
      hostCaching: false,
      activationType: 2,
      host: {
        activationInterval: 60,
        renewalInterval: 20160,
        port: 1700,
        dnsPublishing: false,
        lowPriority: true,
      },
    });
    expect(state.products[SKU.retail]?.settings).toMatchObject({
      kms: { host: 'kms0.example', domain: 'd0.example' },
      activationType: 3,
    });
    expect(state.products[SKU.host]?.settings.kms.domain).toBe('d2.example');
  });

  it('when the store file is damaged then it says so, and /rilc rebuilds it keeping the key', async () => {
    const home = makeHome();
    await bin(home, ['/ipk', KEYS.retail]);
    const fd = openSync(join(home, 'store.db'), 'r+');
    writeSync(fd, Buffer.alloc(100, 0x5a), 0, 100, 0);
    closeSync(fd);
    const broken = await bin(home, ['/dli']);
    expect(broken.status).toBe(8);
    expect(broken.stderr).toContain('Error store.corrupt:');
    expect(broken.stderr).toContain('slmgr /rilc');
    const rebuilt = await bin(home, ['/rilc']);
    expect(rebuilt.stdout).toContain('The licence store was damaged');
    expect((await bin(home, ['/dli'])).stdout).toContain(
      `Partial Product Key: ${KEYS.retail.slice(-5)}`,
    );
  });
});

function writeBig(home: string): string {
  const path = join(home, '..', 'big.slm');
  const fd = openSync(path, 'w');
  writeSync(fd, issuanceLicence('e0000000-0000-4000-8000-000000000001', 1));
  closeSync(fd);
  return path;
}

function readState(home: string): MachineState {
  const opened = openMachineStore({ home, access: 'write', check: true, now: 0 });
  if (!opened.ok) throw opened.error;
  const read = opened.value.read((view) => view.state() as MachineState);
  opened.value.close();
  if (!read.ok) throw read.error;
  return read.value;
}

describe('the slmgr binary in a pipe', () => {
  it('when the reader closes the pipe early then slmgr exits quietly, without an EPIPE trace', async () => {
    const { stderr } = await run('sh', ['-c', `"${process.execPath}" "${BIN}" --help | true`]);
    expect(stderr).not.toContain('EPIPE');
  });
});
