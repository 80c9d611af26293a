/**
 * Frames: a fixed 12-byte header, then the body. Every field is big-endian.
 *
 *   0..3   magic "SLMK"
 *   4      protocol version (1)
 *   5      frame type (1 request, 2 response, 3 error, 4 activation)
 *   6..7   reserved, must be 0
 *   8..11  body length in bytes (at most MAX_BODY_BYTES)
 */
export const MAGIC = Buffer.from('SLMK', 'ascii');
export const PROTOCOL_VERSION = 1;
export const HEADER_BYTES = 12;
/** The largest body a peer accepts; a response with certificate and grant is about 2 KiB. */
export const MAX_BODY_BYTES = 16_384;

/** What a frame carries. */
export const FRAME_TYPES = { request: 1, response: 2, error: 3, activation: 4 } as const;
export type FrameType = keyof typeof FRAME_TYPES;

/** One decoded frame: its type, the raw header and the body bytes. */
export interface Frame {
  readonly type: FrameType;
  readonly header: Buffer;
  readonly body: Buffer;
}

/** Why bytes are not a frame; each one closes the connection. */
export type FrameProblem = 'bad_magic' | 'bad_version' | 'bad_type' | 'bad_reserved' | 'too_large';

/** A frame-level failure: the stable problem and a short message. */
export class FrameError extends Error {
  override readonly name = 'FrameError';
  constructor(
    readonly problem: FrameProblem,
    message: string,
  ) {
    super(message);
  }
}

/** Builds one frame around a body. */
export function encodeFrame(type: FrameType, body: Uint8Array): Buffer {
  if (body.length > MAX_BODY_BYTES) {
    throw new FrameError('too_large', `a body of ${body.length} bytes exceeds ${MAX_BODY_BYTES}`);
  }
  return Buffer.concat([frameHeader(type, body.length), body]);
}

/**
 * Builds one frame around a JSON text, written straight into the frame: every answer a host
 * sends goes through here, and a separate body buffer would be one more copy each time.
 */
export function encodeTextFrame(type: FrameType, text: string): Buffer {
  const length = Buffer.byteLength(text);
  if (length > MAX_BODY_BYTES) {
    throw new FrameError('too_large', `a body of ${length} bytes exceeds ${MAX_BODY_BYTES}`);
  }
  const frame = Buffer.allocUnsafe(HEADER_BYTES + length);
  writeHeader(frame, type, length);
  frame.write(text, HEADER_BYTES, 'utf8');
  return frame;
}

/** The 12-byte header of a frame of this type and body length. */
export function frameHeader(type: FrameType, bodyLength: number): Buffer {
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  writeHeader(header, type, bodyLength);
  return header;
}

function writeHeader(into: Buffer, type: FrameType, bodyLength: number): void {
  MAGIC.copy(into, 0);
  into.writeUInt8(PROTOCOL_VERSION, 4);
  into.writeUInt8(FRAME_TYPES[type], 5);
  into.writeUInt16BE(0, 6);
  into.writeUInt32BE(bodyLength, 8);
}

/** Checks a header; returns the frame type and body length, or throws a FrameError. */
export function parseHeader(header: Buffer): { type: FrameType; length: number } {
  if (!header.subarray(0, 4).equals(MAGIC)) throw new FrameError('bad_magic', 'not an SLMK frame');
  const version = header.readUInt8(4);
  if (version !== PROTOCOL_VERSION) {
    throw new FrameError(
      'bad_version',
      `protocol version ${version} is not supported (expected 1)`,
    );
  }
  const type = frameTypeOf(header.readUInt8(5));
  if (type === null) throw new FrameError('bad_type', `unknown frame type ${header.readUInt8(5)}`);
  if (header.readUInt16BE(6) !== 0) throw new FrameError('bad_reserved', 'reserved bits are set');
  const length = header.readUInt32BE(8);
  if (length > MAX_BODY_BYTES) {
    throw new FrameError('too_large', `a body of ${length} bytes exceeds ${MAX_BODY_BYTES}`);
  }
  return { type, length };
}

// Frame type by its code, for reading headers without a search.
const TYPE_BY_CODE = new Map(
  Object.entries(FRAME_TYPES).map(([name, code]) => [code as number, name as FrameType]),
);

function frameTypeOf(code: number): FrameType | null {
  return TYPE_BY_CODE.get(code) ?? null;
}

/**
 * Reassembles frames from a byte stream. Push chunks as they arrive; complete frames come out.
 * A bad header throws a FrameError at once, before its body is waited for, so an oversized
 * length never makes the reader buffer anything.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Bytes received that do not yet form a whole frame. */
  get pending(): number {
    return this.buffered;
  }

  /** Adds bytes; returns the frames they complete. */
  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Frame[] = [];
    for (let frame = this.next(); frame !== null; frame = this.next()) frames.push(frame);
    return frames;
  }

  private next(): Frame | null {
    if (this.buffered < HEADER_BYTES) return null;
    const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    this.chunks = [all];
    const { type, length } = parseHeader(all.subarray(0, HEADER_BYTES));
    if (all.length < HEADER_BYTES + length) return null;
    const end = HEADER_BYTES + length;
    const frame = {
      type,
      header: all.subarray(0, HEADER_BYTES),
      body: all.subarray(HEADER_BYTES, end),
    };
    const rest = all.subarray(end);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return frame;
  }
}
