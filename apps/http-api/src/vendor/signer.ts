import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { signBytes } from '@slm/core';

/** Signs with the vendor key (Ed25519): a signature is 64 bytes over the message as given. */
export interface Signer {
  sign(message: Uint8Array): Promise<Uint8Array>;
  /** Stops the signing threads; signatures still being made are refused. */
  close(): Promise<void>;
}

/** How many signing threads to run when the config does not say: the cores left over, up to 4. */
export function defaultSigningThreads(): number {
  return Math.min(4, availableParallelism() - 1);
}

/**
 * A signer for the service: with `threads` 0 it signs on the calling thread; otherwise the key
 * is loaded into that many worker threads and signatures asked for in one turn of the event
 * loop go to them in one message, so the event loop spends its time on requests and the
 * database while the other cores sign.
 */
export function createSigner(privateKeyPem: string, threads: number): Signer {
  if (threads <= 0) {
    return { sign: async (message) => signBytes(message, privateKeyPem), close: async () => {} };
  }
  return new ThreadedSigner(privateKeyPem, threads);
}

// Plain CommonJS source, so the worker loads the same way from src (under vitest) and from dist.
// node:crypto's Ed25519 signature is the one core makes: deterministic, over the exact bytes.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createPrivateKey, sign } = require('node:crypto');
const key = createPrivateKey(workerData.privateKeyPem);
parentPort.on('message', ({ batch, messages }) => {
  const signatures = messages.map((message) => sign(null, message, key));
  parentPort.postMessage({ batch, signatures });
});
`;

interface Job {
  readonly message: Uint8Array;
  readonly resolve: (signature: Uint8Array) => void;
  readonly reject: (error: Error) => void;
}

interface Thread {
  readonly worker: Worker;
  /** Batches sent to this thread and not answered yet. */
  readonly batches: Map<number, readonly Job[]>;
}

class ThreadedSigner implements Signer {
  readonly #privateKeyPem: string;
  readonly #threads: (Thread | undefined)[];
  #queue: Job[] = [];
  #nextBatch = 0;
  #nextThread = 0;
  #closed = false;

  constructor(privateKeyPem: string, threads: number) {
    this.#privateKeyPem = privateKeyPem;
    this.#threads = new Array<Thread | undefined>(threads).fill(undefined);
  }

  sign(message: Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      if (this.#closed) {
        reject(new Error('the signer is closed'));
        return;
      }
      if (this.#queue.length === 0) setImmediate(() => this.#flush());
      this.#queue.push({ message, resolve, reject });
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const running = this.#threads.filter((thread) => thread !== undefined);
    this.#threads.fill(undefined);
    for (const thread of running) this.#fail(thread, new Error('the signer is closed'));
    this.#refuseQueued(new Error('the signer is closed'));
    await Promise.all(running.map((thread) => thread.worker.terminate()));
  }

  // The jobs of this turn are split into one batch per thread.
  #flush(): void {
    const jobs = this.#queue;
    this.#queue = [];
    if (jobs.length === 0) return;
    if (this.#closed) {
      this.#refuse(jobs, new Error('the signer is closed'));
      return;
    }
    const count = Math.min(this.#threads.length, jobs.length);
    const size = Math.ceil(jobs.length / count);
    for (let start = 0; start < jobs.length; start += size) {
      this.#send(jobs.slice(start, start + size));
    }
  }

  #send(jobs: readonly Job[]): void {
    const index = this.#nextThread;
    this.#nextThread = (index + 1) % this.#threads.length;
    const thread = this.#threads[index] ?? this.#start(index);
    const batch = this.#nextBatch++;
    thread.batches.set(batch, jobs);
    thread.worker.postMessage({ batch, messages: jobs.map((job) => job.message) });
  }

  #start(index: number): Thread {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { privateKeyPem: this.#privateKeyPem },
    });
    // An idle signer never keeps the process alive; jobs in flight are answered or refused.
    worker.unref();
    const thread: Thread = { worker, batches: new Map() };
    worker.on('message', ({ batch, signatures }: { batch: number; signatures: Uint8Array[] }) => {
      const jobs = thread.batches.get(batch) ?? [];
      thread.batches.delete(batch);
      for (const [i, job] of jobs.entries()) job.resolve(new Uint8Array(signatures[i] ?? []));
    });
    // A thread that fails refuses what it was given; the next batch starts a new one.
    const lost = (error: Error) => {
      if (this.#threads[index] === thread) this.#threads[index] = undefined;
      this.#fail(thread, error);
    };
    worker.on('error', (error) => lost(new Error(`a signing thread failed: ${error.message}`)));
    worker.on('exit', (code) => lost(new Error(`a signing thread stopped (exit code ${code})`)));
    this.#threads[index] = thread;
    return thread;
  }

  #fail(thread: Thread, error: Error): void {
    for (const jobs of thread.batches.values()) this.#refuse(jobs, error);
    thread.batches.clear();
  }

  #refuseQueued(error: Error): void {
    const jobs = this.#queue;
    this.#queue = [];
    this.#refuse(jobs, error);
  }

  #refuse(jobs: readonly Job[], error: Error): void {
    for (const job of jobs) job.reject(error);
  }
}
