// What a newcomer does after `pnpm start`: reads the printed commands and runs them. The lab runs
// as `node scripts/lab.mjs` on free ports; the printed lines are parsed and run as processes from
// the repository root (no shell), each with the SLM_HOME its block exports.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { type AddressInfo, connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository root: the printed commands are meant to be pasted there. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LAB_SCRIPT = fileURLToPath(new URL('../../../scripts/lab.mjs', import.meta.url));
const run = promisify(execFile);

/** A finished command: its exit status and what it printed. */
export interface Call {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A port nothing listened on a moment ago (bound at port 0, then closed). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A free port whose next port is free too: the lab prints a second volume host one above. Picked
 * below the ephemeral ranges (Linux 32768+, macOS 49152+), where the next port of a port-0 pick
 * is often held by some outgoing connection in TIME-WAIT.
 */
export async function freePortPair(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if ((await isFree(port)) && (await isFree(port + 1))) return port;
  }
  throw new Error('no two free ports in a row after 50 tries');
}

/** True when something accepts a TCP connection on 127.0.0.1:port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A running long-lived process with everything it printed so far. */
export interface Running {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Waits (at most `ms`) until the output matches every pattern. */
  until(patterns: readonly RegExp[], ms: number): Promise<string>;
  /** SIGTERM by PID, then SIGKILL of its process group after 10 s; resolves to the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `node ARGS` from the repository root in a process group of its own. */
export function startProcess(args: readonly string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return {
    child,
    output: () => output,
    until: (patterns, ms) => waitFor(child, () => output, patterns, ms),
    stop: () => stop(child),
  };
}

/** `node scripts/lab.mjs DIR` with its service and volume host on the given ports. */
export function startLab(dir: string, ports: { service: number; kms: number }): Running {
  return startProcess([LAB_SCRIPT, dir], {
    SLM_LAB_PORT: String(ports.service),
    SLM_LAB_KMS_PORT: String(ports.kms),
  });
}

function waitFor(
  child: ChildProcess,
  output: () => string,
  patterns: readonly RegExp[],
  ms: number,
): Promise<string> {
  const done = () => patterns.every((pattern) => pattern.test(output()));
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!done()) return;
      settle();
      resolve(output());
    };
    const exited = () => {
      settle();
      reject(new Error(`exited with ${child.exitCode} before printing ${patterns}:\n${output()}`));
    };
    const timer = setTimeout(() => {
      settle();
      reject(new Error(`nothing matched ${patterns} in ${ms} ms:\n${output()}`));
    }, ms);
    const settle = () => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.off('exit', exited);
    };
    child.stdout?.on('data', check);
    child.once('exit', exited);
    check();
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(child.exitCode);
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => killGroup(child), 10_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}

/** Runs one printed line (`slmgr …` through the printed alias, or `node …`) to completion. */
export async function runLine(line: string, alias: readonly string[], home: string): Promise<Call> {
  const [program, ...args] = commandOf(line, alias);
  try {
    const env = { ...process.env, SLM_HOME: home };
    const done = await run(program ?? '', args, { cwd: REPO_ROOT, env, timeout: 30_000 });
    return { status: 0, stdout: done.stdout, stderr: done.stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { status: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** The argv of a printed line; a line that is neither slmgr nor node is not pasteable as is. */
export function commandOf(line: string, alias: readonly string[]): string[] {
  const [first, ...rest] = line.trim().split(/\s+/);
  const expanded = first === 'slmgr' ? [...alias, ...rest] : [first ?? '', ...rest];
  if (expanded[0] !== 'node') throw new Error(`not a command the lab should print: ${line}`);
  return [process.execPath, ...expanded.slice(1)];
}
