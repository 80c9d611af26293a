import { randomBytes } from 'node:crypto';
import { readFileSync, readSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { type Io, STDIN_LIMIT } from './io.js';

/** The real process: its streams, environment, clock, randomness and machine facts. */
export function nodeIo(): Io {
  // A reader that stops early (`slmgr --help | head`) closes the pipe: that is not an error of ours.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    now: () => Date.now(),
    randomBytes: (size) => new Uint8Array(randomBytes(size)),
    machineFacts,
    readStdin: () => readStdinUpTo(STDIN_LIMIT + 1),
  };
}

/** Reads standard input to its end or `limit` bytes, so `< /dev/zero` cannot fill memory. */
function readStdinUpTo(limit: number): string {
  const buffer = Buffer.allocUnsafe(limit);
  let length = 0;
  while (length < limit) {
    let n: number;
    try {
      n = readSync(0, buffer, length, limit - length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      // A non-blocking pipe with nothing in it yet: wait a little rather than spin.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      continue;
    }
    if (n === 0) break;
    length += n;
  }
  return buffer.toString('utf8', 0, length);
}

/** The OS facts that identify this machine: OS machine id, host name and CPU model. */
export function machineFacts(): Record<string, string> {
  return { machineId: osMachineId(), hostname: hostname(), cpu: cpus()[0]?.model ?? 'unknown' };
}

function osMachineId(): string {
  for (const path of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    try {
      const id = readFileSync(path, 'utf8').trim();
      if (id !== '') return id;
    } catch {
      // Try the next place; containers often have only one of them.
    }
  }
  return 'none';
}
