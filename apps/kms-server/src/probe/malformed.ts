import { connect } from 'node:net';
import {
  decodeError,
  encodeFrame,
  encodeRequest,
  FrameReader,
  HEADER_BYTES,
  MAGIC,
} from '@slm/kms-protocol';
import type { RandomSource } from '@slm/volume-client';

/** What the host did with one malformed frame. */
export type MalformedOutcome = 'error-and-close' | 'closed' | 'answered' | 'timeout';

/** Kinds of garbage: each should make the host send an error frame (or just close) and nothing else. */
const MAKERS: readonly ((random: RandomSource) => Buffer)[] = [
  randomBytesOf,
  (random) => encodeFrame('request', randomBytesOf(random)),
  (random) => flipOneByte(encodeRequest(sampleRequest()), random),
  (random) => badLength(random),
  (random) => Buffer.concat([MAGIC, randomBytesOf(random)]),
];

/** The n-th malformed frame of a seeded sequence. */
export function malformedFrame(random: RandomSource): Buffer {
  const maker = MAKERS[Math.floor(random() * MAKERS.length)] ?? randomBytesOf;
  return maker(random);
}

/** Sends one frame on a new connection and reports what the host did. */
export function sendMalformed(
  address: string,
  port: number,
  frame: Buffer,
  timeoutMs: number,
): Promise<{ outcome: MalformedOutcome; problem: string | null }> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, noDelay: true });
    const reader = new FrameReader();
    let problem: string | null = null;
    let answered = false;
    const timer = setTimeout(() => socket.destroy(new Error('timeout')), timeoutMs);
    socket.on('connect', () => socket.end(frame));
    socket.on('data', (chunk: Buffer) => {
      for (const reply of safeFrames(reader, chunk)) {
        if (reply.type === 'response' || reply.type === 'activation') answered = true;
        const decoded = reply.type === 'error' ? decodeError(reply) : null;
        if (decoded?.ok) problem = decoded.value.problem;
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ outcome: outcomeOf(answered, problem, socket.errored), problem });
    });
  });
}

function outcomeOf(
  answered: boolean,
  problem: string | null,
  errored: Error | null,
): MalformedOutcome {
  if (answered) return 'answered';
  if (problem !== null) return 'error-and-close';
  return errored?.message === 'timeout' ? 'timeout' : 'closed';
}

function safeFrames(reader: FrameReader, chunk: Buffer) {
  try {
    return reader.push(chunk);
  } catch {
    return [];
  }
}

function randomBytesOf(random: RandomSource): Buffer {
  const length = 1 + Math.floor(random() * 96);
  return Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
}

function flipOneByte(frame: Buffer, random: RandomSource): Buffer {
  const copy = Buffer.from(frame);
  const at = Math.floor(random() * copy.length);
  copy[at] = (copy[at] ?? 0) ^ (1 + Math.floor(random() * 255));
  return copy;
}

function badLength(random: RandomSource): Buffer {
  const frame = Buffer.from(encodeRequest(sampleRequest()));
  frame.writeUInt32BE(Math.floor(random() * 0xffff_ffff), 8);
  return frame.subarray(0, HEADER_BYTES + Math.floor(random() * 40));
}

function sampleRequest() {
  return {
    activationId: '00000000-0000-4000-8000-000000000000',
    clientMachineId: 'fuzz',
    workstation: '0'.repeat(32),
    licenceState: 0,
    requiredCount: 25,
    clientTime: Date.now(),
    nonce: 'fuzzfuzzfuzzfuzzfuzz',
  };
}
