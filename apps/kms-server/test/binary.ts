// The built slm-kms binary, started as a child process on loopback with a store home of its own.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLabVendor, type LabVendor } from '@slm/conformance';
import { DEFAULT_MACHINE_SETTINGS, type HostSettings, newMachineState } from '@slm/core';
import { openMachineStore } from '@slm/machine-store';
import { afterAll } from 'vitest';
import { makeIdentityFile } from './harness.js';

export const BIN = new URL('../bin/slm-kms.js', import.meta.url).pathname;
const FAKETIME_LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

// Homes made by the test file that imports this, removed after its last test (each file's own
// hooks have stopped its hosts by then).
const homes: string[] = [];
afterAll(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

/** A store home holding an activated volume host identity. */
export function makeHome(vendor: LabVendor = createLabVendor()): {
  home: string;
  vendor: LabVendor;
} {
  const home = mkdtempSync(join(tmpdir(), 'slm-kms-home-'));
  homes.push(home);
  const { file } = makeIdentityFile(vendor);
  // As on a real host: the store exists (slmgr made it) before /ato leaves the identity in it.
  const store = openMachineStore({ home, access: 'write', now: Date.now() });
  if (!store.ok) throw store.error;
  store.value.close();
  mkdirSync(join(home, 'private'), { recursive: true, mode: 0o700 });
  writeFileSync(join(home, 'private', 'volume-host.json'), JSON.stringify(file), { mode: 0o600 });
  return { home, vendor };
}

/** Writes volume host settings into the machine store, as slmgr /sai … /cpri would. */
export function writeHostSettings(home: string, host: Partial<HostSettings>): void {
  const store = openMachineStore({ home, access: 'write', now: Date.now() });
  if (!store.ok) throw store.error;
  const base = newMachineState((n) => new Uint8Array(n), Date.now());
  const changed = store.value.update((tx) => {
    const state = (tx.state() as typeof base | null) ?? base;
    tx.setState({
      ...state,
      settings: {
        ...state.settings,
        host: { ...DEFAULT_MACHINE_SETTINGS.host, ...state.settings.host, ...host },
      },
    });
    return { ok: true, value: null };
  });
  store.value.close();
  if (!changed.ok) throw changed.error;
}

/** A running slm-kms process. */
export interface HostProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly lines: Record<string, unknown>[];
  /** Resolves with the first log line with this message (and fields), waiting up to 10 s. */
  waitFor(msg: string, fields?: Record<string, unknown>): Promise<Record<string, unknown>>;
  stop(): Promise<number | null>;
}

/** Starts slm-kms on 127.0.0.1 at a free port; `fakeTime` runs it under libfaketime. */
export async function startBinary(
  home: string,
  args: string[] = [],
  options: { fakeTime?: string } = {},
): Promise<HostProcess> {
  const env = { ...process.env, SLM_HOME: home, ...fakeTimeEnv(options.fakeTime) };
  const child = spawn(
    process.execPath,
    [BIN, 'run', '--listen', '127.0.0.1', '--port', '0', ...args],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    for (const line of complete) if (line.trim() !== '') lines.push(JSON.parse(line));
    for (const wake of waiters.splice(0)) wake();
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const waitFor = (msg: string, fields: Record<string, unknown> = {}) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "${msg}" log line; stderr: ${stderr.join('')}`)),
        10_000,
      );
      const check = () => {
        const found = lines.find(
          (line) => line.msg === msg && Object.entries(fields).every(([k, v]) => line[k] === v),
        );
        if (found === undefined) {
          waiters.push(check);
          return;
        }
        clearTimeout(timer);
        resolve(found);
      };
      check();
    });
  const started = await waitFor('host started');
  const stop = () =>
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });
  return { child, port: started.port as number, lines, waitFor, stop };
}

/** Runs slm-kms to completion (probe, maintenance, a refused start). */
export function runBinary(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function fakeTimeEnv(fakeTime: string | undefined): Record<string, string> {
  if (fakeTime === undefined) return {};
  if (!existsSync(FAKETIME_LIB)) {
    throw new Error(`libfaketime is missing (${FAKETIME_LIB}): apt-get install libfaketime`);
  }
  // Only the wall clock moves: timers keep running on the real monotonic clock.
  return { LD_PRELOAD: FAKETIME_LIB, FAKETIME: fakeTime, FAKETIME_DONT_FAKE_MONOTONIC: '1' };
}
