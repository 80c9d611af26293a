import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

// `pnpm start` runs scripts/lab.mjs: slm-api lab and, once it is ready, a volume host.
const LAB_SCRIPT = fileURLToPath(new URL('../../../scripts/lab.mjs', import.meta.url));
const SLMGR = fileURLToPath(new URL('../../cli/bin/slmgr.js', import.meta.url));

let dir: string;
const held: Server[] = [];
const started: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slm-lab-script-'));
});
afterEach(async () => {
  for (const server of held.splice(0)) await new Promise((done) => server.close(done));
  // SIGTERM, so a lab still running stops its own children too.
  for (const child of started.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((done) => setTimeout(done, 5000))]);
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function hold(port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  held.push(server);
}

interface Lab {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function runLab(name: string, env: Record<string, string>): Lab {
  const child = spawn(process.execPath, [LAB_SCRIPT, join(dir, name)], {
    env: { ...process.env, ...env },
  });
  started.push(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  return { child, output: () => output, exited };
}

async function until(check: () => boolean, ms = 25_000): Promise<void> {
  for (let waited = 0; !check(); waited += 100) {
    if (waited > ms) throw new Error('timed out');
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** The PIDs of a process's children with their command lines. */
function childrenOf(pid: number): { pid: number; args: string }[] {
  // ps exits 1 when there is none.
  const listed = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], {
    encoding: 'utf8',
  });
  return listed.stdout
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [pid = '', ...args] = line.trim().split(/\s+/);
      return { pid: Number(pid), args: args.join(' ') };
    });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('pnpm start (scripts/lab.mjs)', () => {
  it('when SLM_LAB_PORT is taken then it says so and exits non-zero, not on a random port', async () => {
    await hold(18610);

    const lab = runLab('service-port', { SLM_LAB_PORT: '18610', SLM_LAB_KMS_PORT: '18611' });

    expect(await lab.exited).toBe(1);
    expect(lab.output()).toContain('port 18610 (SLM_LAB_PORT) is taken');
    expect(lab.output()).not.toContain('The lab is ready');
  });

  it('when SLM_LAB_KMS_PORT is taken then it says so and exits non-zero', async () => {
    await hold(18612);

    const lab = runLab('kms-port', { SLM_LAB_PORT: '18613', SLM_LAB_KMS_PORT: '18612' });

    expect(await lab.exited).toBe(1);
    expect(lab.output()).toContain('port 18612 (SLM_LAB_KMS_PORT) is taken');
  });

  it('when the lab is ready then slmgr /dlv on the volume host home it prints shows the host', async () => {
    const lab = runLab('dlv', { SLM_LAB_PORT: '18944', SLM_LAB_KMS_PORT: '18945' });
    await until(() => lab.output().includes('"msg":"host started"'), 40_000);
    const home =
      /SLM_HOME=(\S+) node apps\/cli\/bin\/slmgr\.js \/dlv/.exec(lab.output())?.[1] ?? '';

    const dlv = spawnSync(process.execPath, [SLMGR, '/dlv'], {
      env: { ...process.env, SLM_HOME: home },
      encoding: 'utf8',
    });

    expect({ status: dlv.status, stderr: dlv.stderr }).toEqual({ status: 0, stderr: '' });
    expect(dlv.stdout).toContain('VOLUME_HOST channel');
    expect(dlv.stdout).toMatch(/Volume activation host:\n\s+Status: running/);
    expect(dlv.stdout).toContain('Listening on: 127.0.0.1, ::1 port 18945');
    expect(dlv.stdout).toContain('Current count: 0');
    expect(dlv.stdout).toContain('Total requests received: 0');
  });

  it('when its slm-api child is killed then it names it, stops the volume host, exits non-zero', async () => {
    const lab = runLab('killed', { SLM_LAB_PORT: '18614', SLM_LAB_KMS_PORT: '18615' });
    const pid = lab.child.pid ?? 0;
    // Both long-lived children: while the lab prepares the host, slmgr runs beside slm-api.
    const parts = ['dist/bin.js lab', 'kms-server/scripts/lab.mjs'];
    await until(() => parts.every((part) => childrenOf(pid).some((c) => c.args.includes(part))));
    const [service, host] = parts.map(
      (part) => childrenOf(pid).find((c) => c.args.includes(part))?.pid ?? 0,
    );

    expect(service).toBeGreaterThan(0);
    expect(host).toBeGreaterThan(0);
    process.kill(service as number, 'SIGKILL');

    expect(await lab.exited).not.toBe(0);
    expect(lab.output()).toContain('the activation service (slm-api lab) stopped unexpectedly');
    expect(lab.output()).toContain('SIGKILL');
    await until(() => !alive(host as number), 10_000);
  });
});
