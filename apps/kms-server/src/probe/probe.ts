import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { encodeRequest } from '@slm/kms-protocol';
import {
  askHost,
  buildRequest,
  exchange,
  type Failure,
  type HostAddress,
  seededRandom,
  type Verified,
  type VolumeActivationInput,
} from '@slm/volume-client';
import { malformedFrame, sendMalformed } from './malformed.js';

/** The kinds of request the probe can send. */
export const PROBE_KINDS = [
  'normal',
  'malformed',
  'duplicate',
  'clock-skew',
  'wrong-product',
] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** What to send, where, how many and how fast. */
export interface ProbeOptions {
  readonly target: HostAddress;
  readonly kind: ProbeKind;
  readonly vendorKey: string;
  readonly activationId: string;
  readonly threshold: number;
  readonly requests: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly licenceState: number;
  readonly seed: number;
  /** A fixed client machine ID for every request; a fresh one each time when absent. */
  readonly clientMachineId?: string | undefined;
  /** False: only send and read one frame (load generation), checking nothing. */
  readonly verify?: boolean | undefined;
}

/** What the probe saw: outcomes, latency percentiles, throughput and failed checks. */
export interface ProbeReport {
  readonly target: string;
  readonly kind: ProbeKind;
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** Counted by outcome (`activated`, `below_threshold`, a refusal reason or a failure cause). */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Answers whose signature chain or fields did not check out. */
  readonly unverified: number;
  readonly duplicatesReported: number;
  /** The highest count the host reported: answers to concurrent requests can arrive out of order. */
  readonly highestCount: number | null;
  /** After malformed frames: whether a normal request was still answered. */
  readonly stillAnswering: boolean | null;
  readonly ok: boolean;
}

// Causes that mean the answer itself could not be trusted or read.
const UNVERIFIED = new Set(['protocol', 'host_not_activated']);
// Outcomes that mean the host was never reached or never answered: the probe fails on any.
const UNREACHED = ['dns', 'dns_server', 'no_hosts', 'connection_refused', 'timeout', 'busy'];

// A connection the system refused is not a host's refusal (those report their reason).
function labelOf(cause: string): string {
  return cause === 'refused' ? 'connection_refused' : cause;
}

/** Sends the requests and checks every answer as a client would. */
export async function runProbe(options: ProbeOptions): Promise<ProbeReport> {
  const random = seededRandom(options.seed);
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  const tally = { unverified: 0, duplicates: 0, highestCount: null as number | null };
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < options.requests) {
      const index = next++;
      const began = performance.now();
      const outcome = await sendOne(options, index, random);
      latencies.push(performance.now() - began);
      outcomes[outcome.label] = (outcomes[outcome.label] ?? 0) + 1;
      record(tally, outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  const seconds = (performance.now() - started) / 1000;
  const stillAnswering = options.kind === 'malformed' ? await answersNormally(options) : null;
  return {
    target: `${options.target.host}:${options.target.port}`,
    kind: options.kind,
    requests: options.requests,
    seconds: round(seconds),
    perSecond: round(options.requests / seconds),
    latencyMs: percentiles(latencies),
    outcomes,
    unverified: tally.unverified,
    duplicatesReported: tally.duplicates,
    highestCount: tally.highestCount,
    stillAnswering,
    ok: verdict(options.kind, tally.unverified, outcomes, stillAnswering),
  };
}

interface Sent {
  readonly label: string;
  readonly answer: Verified | Failure | null;
}

async function sendOne(options: ProbeOptions, index: number, random: () => number): Promise<Sent> {
  if (options.kind === 'malformed') {
    const { host, port } = options.target;
    const result = await sendMalformed(host, port, malformedFrame(random), options.timeoutMs);
    return { label: result.outcome, answer: null };
  }
  if (options.verify === false) {
    return { label: labelOf(await sendUnchecked(options, index)), answer: null };
  }
  const answer = await askHost(options.target, inputFor(options, index));
  return { label: answer.ok ? 'activated' : labelOf(answer.cause), answer };
}

/** Load generation: one request on a new connection, one frame back, nothing verified. */
async function sendUnchecked(options: ProbeOptions, index: number): Promise<string> {
  const request = encodeRequest(buildRequest(inputFor(options, index)));
  const { host, port } = options.target;
  const reply = await exchange(host, port, request, options.timeoutMs);
  return reply.ok ? `${reply.frame.type} frame` : reply.cause;
}

function inputFor(options: ProbeOptions, index: number): VolumeActivationInput {
  const shared = options.kind === 'duplicate' ? (options.clientMachineId ?? 'probe-clone') : null;
  return {
    activationId: options.kind === 'wrong-product' ? randomUUID() : options.activationId,
    clientMachineId: shared ?? options.clientMachineId ?? randomUUID(),
    // Clones share the client machine ID but not the hardware: each request is another workstation.
    workstation: options.kind === 'duplicate' ? workstationOf(index) : workstationFor(options),
    licenceState: options.licenceState,
    threshold: options.threshold,
    vendorKey: options.vendorKey,
    now: Date.now() + (options.kind === 'clock-skew' ? 5 * 3_600_000 : 0),
    settings: { machine: { host: options.target.host, port: options.target.port, domain: null } },
    hostCaching: false,
    cachedHost: null,
    timeoutMs: options.timeoutMs,
  };
}

function record(
  tally: { unverified: number; duplicates: number; highestCount: number | null },
  sent: Sent,
): void {
  const answer = sent.answer;
  if (answer === null) return;
  if (!answer.ok && UNVERIFIED.has(answer.cause)) tally.unverified++;
  const response = answer.ok ? answer.response : answer.response;
  if (response === undefined) return;
  if (response.duplicate) tally.duplicates++;
  tally.highestCount = Math.max(tally.highestCount ?? 0, response.count);
}

async function answersNormally(options: ProbeOptions): Promise<boolean> {
  const answer = await askHost(options.target, inputFor({ ...options, kind: 'normal' }, 0));
  return answer.ok || !UNVERIFIED.has(answer.cause);
}

function verdict(
  kind: ProbeKind,
  unverified: number,
  outcomes: Record<string, number>,
  stillAnswering: boolean | null,
): boolean {
  if (kind === 'malformed') return stillAnswering === true && (outcomes.timeout ?? 0) === 0;
  const failed = UNREACHED.some((cause) => (outcomes[cause] ?? 0) > 0);
  return unverified === 0 && !failed;
}

/** A fixed client ID is one machine asking again, not a clone: the same workstation each time. */
function workstationFor(options: ProbeOptions): string {
  if (options.clientMachineId === undefined) return randomBytes(16).toString('hex');
  return createHash('sha256').update(options.clientMachineId).digest('hex').slice(0, 32);
}

function workstationOf(index: number): string {
  return index.toString(16).padStart(32, '0');
}

function percentiles(values: number[]): ProbeReport['latencyMs'] {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: round(sorted.at(-1) ?? 0) };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
