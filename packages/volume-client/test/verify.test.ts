import { readFileSync } from 'node:fs';
import { FrameReader, type KmsRequest } from '@slm/kms-protocol';
import { describe, expect, it } from 'vitest';
import { checkAnswer } from '../src/index.js';

const vectors = JSON.parse(
  readFileSync(new URL('../../kms-protocol/vectors/v1.json', import.meta.url), 'utf8'),
);
const request = vectors.request.message as KmsRequest;
const frame = (hex: string) => new FrameReader().push(Buffer.from(hex, 'hex'))[0]!;

describe('checking a host answer', () => {
  it('when the vector answer is checked with the vendor key then it activates', () => {
    const result = checkAnswer(
      frame(vectors.response.frame),
      request,
      vectors.keys.vendorPublicKey,
      25,
    );
    expect(result.ok && result.grant.count).toBe(25);
  });

  it('when the client needs a higher threshold than the count then it is below threshold', () => {
    const result = checkAnswer(
      frame(vectors.response.frame),
      request,
      vectors.keys.vendorPublicKey,
      26,
    );
    expect(result.ok ? 'activated' : [result.cause, result.count]).toEqual(['below_threshold', 25]);
  });

  it('when another vendor key is trusted then the host is not activated', () => {
    const result = checkAnswer(
      frame(vectors.response.frame),
      request,
      vectors.keys.hostPublicKey,
      25,
    );
    expect(result.ok ? 'activated' : result.cause).toBe('host_not_activated');
  });

  it('when the answer repeats another nonce then it is refused as a replay', () => {
    const replayed = { ...request, nonce: 'ZZZZZZZZZZZZZZZZZZZZZZ' };
    const result = checkAnswer(
      frame(vectors.response.frame),
      replayed,
      vectors.keys.vendorPublicKey,
      25,
    );
    expect(result.ok ? 'activated' : result.detail).toMatch(/does not match the request: nonce/);
  });

  it('when the host sends an error frame then its problem becomes the cause', () => {
    const result = checkAnswer(
      frame(vectors.error.frame),
      request,
      vectors.keys.vendorPublicKey,
      25,
    );
    expect(result.ok ? 'activated' : result.cause).toBe('protocol');
  });
});
