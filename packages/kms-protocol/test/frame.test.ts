import { describe, expect, it } from 'vitest';
import {
  encodeFrame,
  encodeRequest,
  FrameError,
  FrameReader,
  HEADER_BYTES,
  MAX_BODY_BYTES,
} from '../src/index.js';

const request = encodeRequest({
  activationId: '5f0c1a2e-0000-4000-8000-00000000a002',
  clientMachineId: 'abc',
  workstation: '0'.repeat(32),
  licenceState: 1,
  requiredCount: 25,
  clientTime: 1,
  nonce: 'n'.repeat(22),
});

describe('frame reader', () => {
  it('when a frame arrives one byte at a time then it comes out once, whole', () => {
    const reader = new FrameReader();
    const out = [...request].flatMap((byte) => reader.push(Buffer.from([byte])));
    expect(out).toHaveLength(1);
    expect(out[0]?.body.length).toBe(request.length - HEADER_BYTES);
    expect(reader.pending).toBe(0);
  });

  it('when two frames arrive in one chunk then both come out in order', () => {
    const frames = new FrameReader().push(
      Buffer.concat([request, encodeFrame('error', Buffer.from('{}'))]),
    );
    expect(frames.map((frame) => frame.type)).toEqual(['request', 'error']);
  });

  it('when only part of a frame has arrived then nothing comes out and it stays pending', () => {
    const reader = new FrameReader();
    expect(reader.push(request.subarray(0, 20))).toEqual([]);
    expect(reader.pending).toBe(20);
  });

  it('when a header declares a body above the maximum then it is refused before any body', () => {
    const header = Buffer.from(request.subarray(0, HEADER_BYTES));
    header.writeUInt32BE(MAX_BODY_BYTES + 1, 8);
    expect(() => new FrameReader().push(header)).toThrow(FrameError);
    expect(() => encodeFrame('request', Buffer.alloc(MAX_BODY_BYTES + 1))).toThrow(/exceeds/);
  });
});
