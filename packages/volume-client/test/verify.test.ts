import { readFileSync } from 'node:fs';
import { encodeFrame, FrameReader, type KmsRequest } from '@slm/kms-protocol';
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

  it.each([
    ['count', { count: 99 }],
    ['validity', { validUntil: 1 }],
    ['host time', { hostTime: 1 }],
    ['extended product ID', { extendedProductId: 'another-host:XXXXX' }],
    ['intervals', { renewalIntervalMinutes: 15 }],
  ])(
    'when an activating answer says another %s than its signed grant then it is refused',
    (what, change) => {
      const edited = { ...vectors.response.message, ...change };
      const result = checkAnswer(
        frame(encodeFrame('activation', Buffer.from(JSON.stringify(edited))).toString('hex')),
        request,
        vectors.keys.vendorPublicKey,
        25,
      );
      expect(result.ok ? 'activated' : result.detail).toBe(
        `the volume grant does not match the answer: ${what}`,
      );
    },
  );

  it('when the below-threshold vector answer is checked then the signed count is reported', () => {
    const result = checkAnswer(
      frame(vectors.belowThreshold.frame),
      request,
      vectors.keys.vendorPublicKey,
      25,
    );
    expect(result.ok ? 'activated' : [result.cause, result.count]).toEqual(['below_threshold', 24]);
  });

  it('when the signed below-threshold answer is edited then it is refused as unsigned', () => {
    const tampered = Buffer.from(vectors.belowThreshold.frame, 'hex');
    tampered[tampered.indexOf('"count":24') + 9] = '3'.charCodeAt(0);
    const result = checkAnswer(
      frame(tampered.toString('hex')),
      request,
      vectors.keys.vendorPublicKey,
      25,
    );
    expect(result.ok ? 'activated' : result.detail).toBe(
      'the answer is not signed by the key the vendor certified',
    );
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
