import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import type { Io } from './io.js';

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
    readStdin: () => readFileSync(0, 'utf8'),
  };
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
