import { readFileSync } from 'node:fs';
import { openHostCertificate, openVolumeGrant } from '@slm/core';
import { describe, expect, it } from 'vitest';
import {
  decodeError,
  decodeRequest,
  decodeResponse,
  encodeError,
  encodeRequest,
  encodeResponse,
  type Frame,
  FrameError,
  FrameReader,
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

  it('when the vector response is signed with the host key then the bytes match', () => {
    const signer = responseSigner(vectors.keys.hostPrivateKeyPem);
    const frame = encodeResponse(vectors.response.message as KmsResponse, signer);
    expect(frame.toString('hex')).toBe(vectors.response.frame);
  });

  it('when the vector response is read then its chain verifies up to the vendor key', () => {
    const decoded = decodeResponse(onlyFrame(vectors.response.frame));
    if (!decoded.ok) throw new Error(decoded.message);
    const { response } = decoded.value;
    const certificate = openHostCertificate(response.hostCertificate, vectors.keys.vendorPublicKey);
    expect(certificate.ok && certificate.value.hostPublicKey).toBe(vectors.keys.hostPublicKey);
    expect(verifyResponse(decoded.value, vectors.keys.hostPublicKey)).toBe(true);
    const grant = openVolumeGrant(
      response.grant ?? '',
      response.hostCertificate,
      vectors.keys.vendorPublicKey,
    );
    expect(grant.ok && grant.value.grant.nonce).toBe(response.nonce);
  });

  it('when one byte of the signed response changes then the signature fails', () => {
    const tampered = bytes(vectors.response.frame);
    const at = tampered.indexOf('"count":25');
    tampered[at + 9] = '4'.charCodeAt(0);
    const decoded = decodeResponse(new FrameReader().push(tampered)[0]!);
    expect(decoded.ok && decoded.value.response.count).toBe(24);
    expect(decoded.ok && verifyResponse(decoded.value, vectors.keys.hostPublicKey)).toBe(false);
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
