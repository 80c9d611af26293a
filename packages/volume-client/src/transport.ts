import { connect } from 'node:net';
import { type Frame, FrameError, FrameReader } from '@slm/kms-protocol';

/** Why a connection gave no frame. */
export type TransportCause = 'refused' | 'timeout' | 'protocol';

/** One frame back from a host, or why there was none. */
export type Exchange =
  | { ok: true; frame: Frame; ms: number }
  | { ok: false; cause: TransportCause; detail: string };

/**
 * Opens a TCP connection, sends the bytes and reads one frame back; the timeout covers the
 * whole exchange, connection included.
 */
export function exchange(
  address: string,
  port: number,
  bytes: Uint8Array,
  timeoutMs: number,
): Promise<Exchange> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, noDelay: true });
    const reader = new FrameReader();
    const finish = (result: Exchange) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ ok: false, cause: 'timeout', detail: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    socket.on('connect', () => socket.write(bytes));
    socket.on('error', (error: NodeJS.ErrnoException) => finish(socketFailure(error)));
    socket.on('end', () =>
      finish({ ok: false, cause: 'protocol', detail: 'the host closed the connection' }),
    );
    socket.on('data', (chunk: Buffer) => {
      const frame = firstFrame(reader, chunk);
      if (frame === null) return;
      finish(
        frame instanceof Error
          ? protocolFailure(frame)
          : { ok: true, frame, ms: performance.now() - started },
      );
    });
  });
}

function firstFrame(reader: FrameReader, chunk: Buffer): Frame | Error | null {
  try {
    return reader.push(chunk)[0] ?? null;
  } catch (error) {
    if (error instanceof FrameError) return error;
    throw error;
  }
}

function protocolFailure(error: Error): Exchange {
  return {
    ok: false,
    cause: 'protocol',
    detail: `the answer is not a valid frame: ${error.message}`,
  };
}

function socketFailure(error: NodeJS.ErrnoException): Exchange {
  if (error.code === 'ETIMEDOUT') return { ok: false, cause: 'timeout', detail: error.message };
  const reason =
    error.code === 'ECONNREFUSED' ? 'connection refused' : (error.code ?? error.message);
  return { ok: false, cause: 'refused', detail: reason };
}
