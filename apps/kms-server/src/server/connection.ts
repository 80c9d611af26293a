import type { Socket } from 'node:net';
import {
  decodeRequest,
  type ErrorProblem,
  encodeError,
  encodeResponse,
  type Frame,
  FrameError,
  FrameReader,
  type ResponseSigner,
} from '@slm/kms-protocol';
import { type Answer, answer, type HostContext } from '../activation.js';
import { protocolFailure } from '../errors.js';
import type { Logger } from '../log.js';

/** Time limits for one connection. */
export interface ConnectionLimits {
  /** A connection with no traffic for this long is closed. */
  readonly idleTimeoutMs: number;
  /** A frame that has started must be complete within this long (stops slow senders). */
  readonly frameTimeoutMs: number;
}

/** What a connection reports, for logs and metrics. */
export interface HostObserver {
  onAnswer?(answer: Answer, seconds: number): void;
  onFrameError?(problem: ErrorProblem): void;
}

/** What serving one connection needs from its server. */
export interface ConnectionDeps {
  readonly ctx: HostContext;
  readonly signer: ResponseSigner;
  readonly clock: () => number;
  readonly log: Logger;
  readonly limits: ConnectionLimits;
  readonly observer: HostObserver;
}

/** Serves one client connection: frames in, signed answers out, errors close it. */
export function serveConnection(socket: Socket, id: number, deps: ConnectionDeps): void {
  const reader = new FrameReader();
  let frameTimer: NodeJS.Timeout | null = null;
  let closing = false;
  // Once: 'data', 'end', the idle timer and the frame timer can each ask to close, and a peer
  // that does not read keeps the socket open until its error frame is flushed.
  const close = (problem: ErrorProblem, message: string) => {
    stopFrameTimer();
    if (closing) return;
    closing = true;
    deps.observer.onFrameError?.(problem);
    deps.log.warn('connection closed', { conn: id, problem, message });
    if (!socket.destroyed) socket.end(encodeError(problem, message));
    socket.destroySoon();
  };
  const stopFrameTimer = () => {
    if (frameTimer !== null) clearTimeout(frameTimer);
    frameTimer = null;
  };
  socket.setTimeout(deps.limits.idleTimeoutMs, () => {
    // Closing, and still idle a whole period later: the peer is not reading its error frame.
    if (closing) socket.destroy();
    else close('timeout', 'the connection was idle');
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', stopFrameTimer);
  // The server allows half-open sockets so that a frame cut short still gets its error.
  socket.on('end', () => {
    if (reader.pending > 0) close('malformed', 'the frame was cut short');
    // After the answers still waiting for their commit.
    else deps.ctx.store.afterCommit(() => socket.end());
  });
  socket.on('data', (chunk: Buffer) => {
    if (closing) return;
    const frames = readFrames(reader, chunk, close);
    for (const frame of frames ?? []) if (!respond(socket, frame, id, deps, close)) return;
    if (frames === null || socket.destroyed) return;
    if (reader.pending === 0) stopFrameTimer();
    else if (frameTimer === null) {
      frameTimer = setTimeout(
        () => close('timeout', 'the frame did not arrive in time'),
        deps.limits.frameTimeoutMs,
      );
    }
  });
}

function readFrames(
  reader: FrameReader,
  chunk: Buffer,
  close: (problem: ErrorProblem, message: string) => void,
): Frame[] | null {
  try {
    return reader.push(chunk);
  } catch (error) {
    if (!(error instanceof FrameError)) throw error;
    close(error.problem, error.message);
    return null;
  }
}

function respond(
  socket: Socket,
  frame: Frame,
  id: number,
  deps: ConnectionDeps,
  close: (problem: ErrorProblem, message: string) => void,
): boolean {
  const started = process.hrtime.bigint();
  const request = decodeRequest(frame);
  if (!request.ok) {
    close(request.problem, request.message);
    return false;
  }
  const fail = (error: unknown) => {
    const failure = protocolFailure(error);
    deps.log.error('request failed', { conn: id, code: failure.code, message: failure.message });
    close(failure.problem, 'the host could not answer this request');
  };
  let result: Answer;
  let bytes: Buffer;
  try {
    result = answer(request.value, deps.ctx, deps.clock());
    bytes = encodeResponse(result.response, deps.signer);
  } catch (error) {
    fail(error);
    return false;
  }
  // Nothing is acknowledged before it is stored: a crash then cannot undo an answer given.
  deps.ctx.store.afterCommit((failure) => {
    if (failure !== null) return fail(failure);
    if (!socket.destroyed) socket.write(bytes);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    deps.observer.onAnswer?.(result, seconds);
    const { outcome, reason, client, product, count, duplicate, thresholdIgnored } = result.log;
    deps.log.info('request', {
      conn: id,
      outcome,
      reason,
      client,
      product,
      count,
      duplicate,
      thresholdIgnored,
      durationMs: round(seconds * 1000),
    });
  });
  return true;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
