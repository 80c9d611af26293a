import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The built slm-api binary. */
export const SLM_API = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

const run = promisify(execFile);

/** Runs `slm-api ARGS` to completion; never throws on a non-zero exit. */
export async function slmApi(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [SLM_API, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** A running `slm-api serve`, with everything it printed so far. */
export interface Served {
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: () => string;
  stop(): Promise<number | null>;
}

/** Starts `slm-api serve DIR --port 0` and waits (at most 20 s) for its listening line. */
export function serve(dir: string, extra: string[] = []): Promise<Served> {
  const child = spawn(process.execPath, [SLM_API, 'serve', dir, '--port', '0', ...extra]);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${output}`)), 20_000);
    const check = () => {
      const line = output.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (line === undefined) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      resolve({
        url: JSON.parse(line).url,
        child,
        output: () => output,
        stop: () => stop(child),
      });
    };
    child.stdout.on('data', check);
    child.once('exit', () => reject(new Error(`slm-api exited: ${output}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}
