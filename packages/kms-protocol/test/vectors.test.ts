import { readFileSync } from 'node:fs';
import { openHostCertificate, openVolumeGrant } from '@slm/core';
import { describe, expect, it } from 'vitest';
import {
  decodeError,
  decodeRequest,
  decodeResponse,
  encodeError,
  encodeFrame,
  encodeRequest,
  encodeResponse,
  type Frame,
  FrameError,
  FrameReader,
  frameHeader,
  type KmsResponse,
  responseSigner,
  verifyResponse,
} from '../src/index.js';

const vectors = JSON.parse(readFileSync(new URL('../vectors/v1.json', import.meta.url), 'utf8'));
const bytes = (hex: string) => Buffer.from(hex, 'hex');

function onlyFrame(hex: string): Frame {
  const frames = new FrameReader().push(bytes(hex));
  expect(frames).toHaveLength(1);
  return frames[0]!;
}

describe('protocol version 1 test vectors', () => {
  it('when the vector request is encoded then the bytes match and decode back', () => {
    expect(encodeRequest(vectors.request.message).toString('hex')).toBe(vectors.request.frame);
    expect(decodeRequest(onlyFrame(vectors.request.frame))).toEqual({
      ok: true,
      value: vectors.request.message,
    });
  });

  it('when the vector activating answer is encoded then the bytes match: an activation frame, no signature', () => {
    const signer = responseSigner(vectors.keys.hostPrivateKeyPem);
    const frame = encodeResponse(vectors.response.message as KmsResponse, signer);
    expect(frame.toString('hex')).toBe(vectors.response.frame);
    expect(onlyFrame(vectors.response.frame).type).toBe('activation');
  });

  it('when the vector activating answer is read then its grant verifies up to the vendor key', () => {
    const decoded = decodeResponse(onlyFrame(vectors.response.frame));
    if (!decoded.ok) throw new Error(decoded.message);
    const { response } = decoded.value;
    const certificate = openHostCertificate(response.hostCertificate, vectors.keys.vendorPublicKey);
    expect(certificate.ok && certificate.value.hostPublicKey).toBe(vectors.keys.hostPublicKey);
    expect(decoded.value.signature).toBeNull();
    expect(verifyResponse(decoded.value, vectors.keys.hostPublicKey)).toBe(false);
    const grant = openVolumeGrant(
      response.grant ?? '',
      response.hostCertificate,
      vectors.keys.vendorPublicKey,
    );
    expect(grant.ok && grant.value.grant).toMatchObject({
      nonce: response.nonce,
      count: response.count,
      expiresAt: response.validUntil,
    });
  });

  it('when the vector below-threshold answer is signed with the host key then the bytes match and verify', () => {
    const signer = responseSigner(vectors.keys.hostPrivateKeyPem);
    const frame = encodeResponse(vectors.belowThreshold.message as KmsResponse, signer);
    expect(frame.toString('hex')).toBe(vectors.belowThreshold.frame);
    const decoded = decodeResponse(onlyFrame(vectors.belowThreshold.frame));
    if (!decoded.ok) throw new Error(decoded.message);
    expect(decoded.value.response).toEqual(vectors.belowThreshold.message);
    expect(verifyResponse(decoded.value, vectors.keys.hostPublicKey)).toBe(true);
  });

  it('when one byte of the signed answer changes then the signature fails', () => {
    const tampered = bytes(vectors.belowThreshold.frame);
    const at = tampered.indexOf('"count":24');
    tampered[at + 9] = '3'.charCodeAt(0);
    const decoded = decodeResponse(new FrameReader().push(tampered)[0]!);
    expect(decoded.ok && decoded.value.response.count).toBe(23);
    expect(decoded.ok && verifyResponse(decoded.value, vectors.keys.hostPublicKey)).toBe(false);
  });

  it('when an activating answer comes in a signed response frame, or another in an activation frame, then it is malformed', () => {
    const activating = vectors.response.message as KmsResponse;
    const asResponse = Buffer.concat([
      frameHeader('response', Buffer.byteLength(JSON.stringify(activating)) + 64),
      Buffer.from(JSON.stringify(activating)),
      Buffer.alloc(64),
    ]);
    const below = encodeFrame(
      'activation',
      Buffer.from(JSON.stringify(vectors.belowThreshold.message)),
    );
    for (const frame of [asResponse, below]) {
      const decoded = decodeResponse(new FrameReader().push(frame)[0]!);
      expect(decoded.ok ? null : decoded.problem).toBe('malformed');
    }
  });

  it('when the vector error is encoded then the bytes match', () => {
    const { problem, message } = vectors.error.message;
    expect(encodeError(problem, message).toString('hex')).toBe(vectors.error.frame);
    expect(decodeError(onlyFrame(vectors.error.frame))).toEqual({
      ok: true,
      value: vectors.error.message,
    });
  });

  const badFrames: [string, string, string][] = vectors.bad.map(
    (bad: { what: string; frame: string; problem: string }) => [bad.what, bad.frame, bad.problem],
  );
  it.each(badFrames)('when a frame has %s then it is refused as %s', (_what, hex, problem) => {
    expect(problemOf(hex)).toBe(problem);
  });
});

function problemOf(hex: string): string {
  try {
    const frames = new FrameReader().push(bytes(hex));
    const decoded = decodeRequest(frames[0]!);
    return decoded.ok ? 'accepted' : decoded.problem;
  } catch (error) {
    if (error instanceof FrameError) return error.problem;
    throw error;
  }
}
