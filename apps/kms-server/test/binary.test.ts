import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { LAB_SKUS, type LabVendor } from '@slm/conformance';
import { askHost, type VolumeActivationInput } from '@slm/volume-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BIN,
  type HostProcess,
  makeHome,
  runBinary,
  startBinary,
  writeHostSettings,
} from './binary.js';

const DAY = 86_400_000;
let running: HostProcess[] = [];
afterEach(async () => {
  await Promise.all(running.map((host) => host.stop()));
  running = [];
});

async function start(home: string, args: string[] = [], options = {}) {
  const host = await startBinary(home, args, options);
  running.push(host);
  return host;
}

function input(vendor: LabVendor, port: number, extra: Partial<VolumeActivationInput> = {}) {
  return {
    activationId: LAB_SKUS.volume.activationId,
    clientMachineId: `client-${Math.random().toString(16).slice(2)}`,
    workstation: 'd'.repeat(32),
    licenceState: 2,
    threshold: 25,
    vendorKey: vendor.keys.publicKey,
    now: Date.now(),
    settings: { machine: { host: '127.0.0.1', port, domain: null } },
    hostCaching: false,
    cachedHost: null,
    ...extra,
  };
}

const ask = (vendor: LabVendor, port: number, extra: Partial<VolumeActivationInput> = {}) =>
  askHost({ host: extra.settings?.machine.host ?? '127.0.0.1', port }, input(vendor, port, extra));

/** Root can drop to nobody with setpriv, and nobody can read this checkout (not so in a 0700 clone). */
function nobodyCanRun(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = spawnSync(
    'setpriv',
    ['--reuid=65534', '--regid=65534', '--clear-groups', 'test', '-r', BIN],
    { encoding: 'utf8' },
  );
  return probe.status === 0;
}

describe('the slm-kms binary', () => {
  it('when the machine has no activated host key then it refuses to start and says why', () => {
    const result = runBinary(['run', '--port', '0'], { SLM_HOME: '/tmp/slm-kms-nowhere' });
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/not an activated volume host.*slmgr \/ipk.*slmgr \/ato/);
  });

  it('when an address cannot be used then it says why and exits instead of lingering', () => {
    const { home } = makeHome();
    const result = runBinary(['run', '--listen', '127.0.0.1,fe80::1', '--port', '0'], {
      SLM_HOME: home,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/listen EINVAL/);
  });

  it('when it restarts then the count carries on and /dlv status shows the counters', async () => {
    const { home, vendor } = makeHome();
    let host = await start(home);
    for (let i = 0; i < 3; i++) await ask(vendor, host.port);
    await host.stop();
    host = await start(home);
    const fourth = await ask(vendor, host.port, { licenceState: 5 });
    expect(fourth.ok ? null : fourth.count).toBe(4);
    await host.stop();
    const status = JSON.parse(readFileSync(join(home, 'volume-host', 'status.json'), 'utf8'));
    expect(status).toMatchObject({ running: false, settings: { port: 1688, dnsPublishing: true } });
    expect(Object.values(status.counts)).toEqual([4]);
    expect(status.counters).toMatchObject({
      requests: 4,
      'licence_state.2': 3,
      'licence_state.5': 1,
    });
  });

  it('when the host is killed the moment it answers then every client it answered still counts', async () => {
    const { home, vendor } = makeHome();
    const host = await start(home);
    let answered = 0;
    const killed = new Promise<void>((resolve) => host.child.once('exit', () => resolve()));
    // Ten clients at once; the first answer back kills the host before it can do anything else.
    const asks = Array.from({ length: 10 }, () =>
      ask(vendor, host.port).then((result) => {
        if (result.ok || result.cause === 'below_threshold') {
          answered += 1;
          host.child.kill('SIGKILL');
        }
      }),
    );
    await Promise.all([...asks, killed]);
    expect(answered).toBeGreaterThan(0);
    const restarted = await start(home);
    const next = await ask(vendor, restarted.port);
    expect(next.ok ? null : next.count).toBeGreaterThanOrEqual(answered + 1);
  });

  it('when a second host starts on a home in use then it refuses and the first keeps its pid file', async () => {
    const { home, vendor } = makeHome();
    const first = await start(home);
    const second = runBinary(['run', '--home', home, '--listen', '127.0.0.1', '--port', '0']);
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`another slm-kms (pid ${first.child.pid}) is running`);
    const pidFile = readFileSync(join(home, 'volume-host', 'slm-kms.pid'), 'utf8');
    expect(pidFile.split('\n')[0]).toBe(String(first.child.pid));
    expect(runBinary(['maintenance', 'on', '--home', home]).stdout).toContain(
      'the running host reloaded',
    );
    await first.waitFor('settings reloaded');
    const refused = await ask(vendor, first.port);
    expect(refused.ok ? null : refused.cause).toBe('maintenance');
  });

  it('when its status file cannot be written then the host says so once and keeps answering', async () => {
    const { home, vendor } = makeHome();
    const host = await start(home, [], {});
    // Running as root, a read-only folder would not stop the write: a folder where the host
    // writes its next status does.
    mkdirSync(join(home, 'volume-host', `status.json.${host.child.pid}.tmp`));
    const problem = await host.waitFor('status not written');
    expect(problem.folder).toBe(join(home, 'volume-host'));
    const answered = await ask(vendor, host.port);
    expect(answered.ok ? 'activated' : answered.cause).toBe('below_threshold');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(host.lines.filter((line) => line.msg === 'status not written')).toHaveLength(1);
    expect(host.child.exitCode).toBeNull();
  });

  it('when a home is copied with the pid file of its running host then the copy still starts, and its maintenance signals nobody', async () => {
    const { home } = makeHome();
    const first = await start(home);
    const copy = `${home}-copy`;
    cpSync(home, copy, { recursive: true });
    const maintenance = runBinary(['maintenance', 'on', '--home', copy]);
    expect(maintenance.stdout).toContain('applies at the next start');
    const second = await start(copy);
    expect(second.port).not.toBe(first.port);
    expect(first.lines.some((line) => line.msg === 'settings reloaded')).toBe(false);
    rmSync(copy, { recursive: true, force: true });
  });

  it('when the host folder is a file then it says so and starts nothing', () => {
    const { home } = makeHome();
    writeFileSync(join(home, 'volume-host'), 'not a folder');
    const result = runBinary(['run', '--home', home, '--listen', '127.0.0.1', '--port', '0']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${join(home, 'volume-host')} is not a folder`);
    expect(result.stderr).not.toMatch(/unexpected failure/);
  });

  it.runIf(nobodyCanRun())(
    'when another user starts the host then it is told it cannot read the host key, not that there is none',
    () => {
      const { home } = makeHome();
      const result = spawnSync(
        'setpriv',
        ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, 'run'],
        { env: { ...process.env, SLM_HOME: home }, encoding: 'utf8' },
      );
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('store.permission');
      expect(result.stderr).toContain('cannot be read by this user');
    },
  );

  it('when counts.db has gone since the host last counted then it starts from zero and says so', async () => {
    const { home, vendor } = makeHome();
    const first = await start(home);
    await ask(vendor, first.port);
    await ask(vendor, first.port);
    await first.stop();
    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(join(home, 'volume-host', `counts.db${suffix}`), { force: true });
    }
    const second = await start(home);
    const warning = await second.waitFor('counts start again');
    expect(warning.message).toContain('counted 2 client machines before');
    const next = await ask(vendor, second.port);
    expect(next.ok ? null : next.count).toBe(1);
  });

  it('when settings change and the host gets SIGHUP then intervals and priority follow', async () => {
    const { home, vendor } = makeHome();
    const host = await start(home);
    const before = await ask(vendor, host.port);
    expect(before.ok ? null : before.response?.activationIntervalMinutes).toBe(120);
    writeHostSettings(home, { activationInterval: 60, renewalInterval: 1440, lowPriority: true });
    host.child.kill('SIGHUP');
    await host.waitFor('settings reloaded');
    const after = await ask(vendor, host.port);
    expect(after.ok ? null : after.response).toMatchObject({
      activationIntervalMinutes: 60,
      renewalIntervalMinutes: 1440,
    });
    expect(getPriority(host.child.pid)).toBe(10);
  });

  it('when maintenance is switched on then the running host refuses with that reason', async () => {
    const { home, vendor } = makeHome();
    const host = await start(home);
    const result = runBinary(['maintenance', 'on', '--home', home]);
    expect(result.stdout).toMatch(/maintenance on; the running host reloaded/);
    await host.waitFor('settings reloaded', { maintenance: true });
    const refused = await ask(vendor, host.port);
    expect(refused.ok ? 'ok' : refused.cause).toBe('maintenance');
    runBinary(['maintenance', 'off', '--home', home]);
    await host.waitFor('settings reloaded', { maintenance: false });
    expect((await ask(vendor, host.port)).ok ? 'ok' : 'answered').toBe('answered');
  });

  it('when 31 days pass on the host clock then earlier clients no longer count', async () => {
    const { home, vendor } = makeHome();
    const t0 = Date.UTC(2026, 5, 1);
    let host = await start(home, [], { fakeTime: '@2026-06-01 00:00:00' });
    for (let i = 0; i < 25; i++) await ask(vendor, host.port, { now: t0 });
    const twentySixth = await ask(vendor, host.port, { now: t0 });
    expect(twentySixth.ok && twentySixth.response.count).toBe(26);
    await host.stop();
    host = await start(home, [], { fakeTime: '@2026-07-02 00:00:00' });
    const later = await ask(vendor, host.port, { now: t0 + 31 * DAY });
    expect(later.ok ? 'activated' : [later.cause, later.count]).toEqual(['below_threshold', 1]);
  });

  it('when IPv6 loopback is asked for too then both families answer, and a missing one only warns', async () => {
    const { home, vendor } = makeHome();
    const host = await start(home, ['--listen', '127.0.0.1,::1,192.0.2.1']);
    const v6 = await askHost({ host: '::1', port: host.port }, input(vendor, host.port));
    expect(v6.ok ? 'ok' : v6.cause).toBe('below_threshold');
    expect(await host.waitFor('address family unavailable')).toMatchObject({
      address: '192.0.2.1',
    });
  });

  it('when metrics are asked for then they are served on loopback with request counts', async () => {
    const { home, vendor } = makeHome();
    const host = await start(home, ['--metrics-port', '0']);
    const metrics = host.lines.find((line) => line.msg === 'metrics listening');
    await ask(vendor, host.port);
    const text = await (await fetch(`http://127.0.0.1:${metrics?.port}/metrics`)).text();
    expect(text).toMatch(/slm_kms_requests_total\{outcome="below_threshold",reason=""\} 1/);
    expect(text).toMatch(/slm_kms_client_count\{family="[0-9a-f-]+"\} 1/);
  });

  it('when a client sends more garbage than one read and resets then "connection closed" is logged once', async () => {
    const { home } = makeHome();
    const host = await start(home);
    const socket = connect(host.port, '127.0.0.1');
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('connect', resolve));
    // More than one 64 KiB read: the bytes after the bad header used to close the connection again.
    socket.write(Buffer.alloc(256 * 1024, 'X'));
    await host.waitFor('connection closed');
    socket.resetAndDestroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const closed = host.lines.filter((line) => line.msg === 'connection closed');
    expect(closed).toEqual([expect.objectContaining({ conn: 1, message: 'not an SLMK frame' })]);
  });
});
