import { execFile } from 'node:child_process';
import { expect } from 'vitest';
import type { Io } from '../src/io.js';
import { run } from '../src/program.js';

/** What one slmgr call printed and returned. */
export interface Call {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The fixed machine facts of the test machine. */
export const FACTS = { machineId: 'test-machine', hostname: 'test-host', cpu: 'test-cpu' };

let counter = 0;

/** Runs slmgr through its program entry with the given process facts, capturing its output. */
export async function runCaptured(
  argv: string[],
  facts: Omit<Io, 'stdout' | 'stderr'>,
): Promise<Call> {
  let stdout = '';
  let stderr = '';
  const write = {
    stdout: (text: string) => {
      stdout += text;
    },
    stderr: (text: string) => {
      stderr += text;
    },
  };
  const status = await run(argv, { ...facts, ...write });
  return { status, stdout, stderr };
}

/** Runs slmgr through its program entry with captured writers, a fixed clock and machine. */
export function slmgr(home: string, argv: string[], now = Date.UTC(2025, 0, 10)): Promise<Call> {
  return runCaptured(argv, {
    env: { SLM_HOME: home },
    now: () => now,
    randomBytes: (size) => new Uint8Array(size).fill(++counter),
    machineFacts: () => FACTS,
    readStdin: () => '',
  });
}

/** Runs slmgr with --json and returns the parsed document. */
export async function slmgrJson(home: string, argv: string[], now?: number) {
  const call = await slmgr(home, [...argv, '--json'], now);
  return { status: call.status, doc: JSON.parse(call.stdout) };
}

/** Asserts a failure: its exit status, stable code and a message fragment. */
export function expectError(call: Call, status: number, code: string, message?: string): void {
  expect({ status: call.status, code: /^Error ([\w.]+):/.exec(call.stderr)?.[1] }).toEqual({
    status,
    code,
  });
  if (message !== undefined) expect(call.stderr).toContain(message);
}

const BIN = new URL('../bin/slmgr.js', import.meta.url).pathname;

/**
 * Runs the built slmgr binary (run `pnpm build` first) with SLM_HOME and extra environment;
 * `stdin` is what its standard input reads (nothing by default).
 */
export async function slmgrBinary(
  home: string,
  argv: string[],
  env: Record<string, string> = {},
  stdin = '',
): Promise<Call> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...argv],
      { env: { ...process.env, SLM_HOME: home, ...env } },
      (error, stdout, stderr) => {
        const status = error === null ? 0 : Number((error as { code?: number }).code ?? 1);
        resolve({ status, stdout, stderr });
      },
    );
    child.stdin?.end(stdin);
  });
}
