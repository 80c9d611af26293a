import { describe, expect, it } from 'vitest';
import { generateSigningKey, signBytes } from '../crypto.js';
import {
  completeDocument,
  openDocument,
  prepareDocument,
  signDocument,
  splitDocument,
} from './document.js';

const keys = generateSigningKey();

describe('signed documents', () => {
  it('when a document is signed then it opens with the same key and kind', () => {
    const text = signDocument('grant', { a: 1 }, keys.privateKeyPem);
    expect(openDocument(text, 'grant', keys.publicKey)).toEqual({ ok: true, value: { a: 1 } });
  });

  it('when a prepared document is signed elsewhere then it equals the one signed in one step', () => {
    const unsigned = prepareDocument('grant', { a: 1 });
    const text = completeDocument(unsigned, signBytes(unsigned.signed, keys.privateKeyPem));
    expect(text).toBe(signDocument('grant', { a: 1 }, keys.privateKeyPem));
    expect(() => completeDocument(unsigned, new Uint8Array(63))).toThrow(RangeError);
  });

  it.each([
    ['three parts', 'slm1.grant.e30', 'grant.malformed'],
    ['another version', 'slm9.grant.e30.AA', 'grant.version'],
    ['payload not base64url', 'slm1.grant.e3+0.AA', 'grant.malformed'],
    [
      'payload not JSON',
      `slm1.grant.${Buffer.from('{').toString('base64url')}.AA`,
      'grant.malformed',
    ],
  ])('when the text has %s then it is refused', (_what, text, code) => {
    const result = splitDocument(text);
    expect(result.ok ? null : result.error.code).toBe(code);
  });

  it('when the kind differs or the key is another then the reason is named', () => {
    const text = signDocument('grant', { a: 1 }, keys.privateKeyPem);
    const asCert = openDocument(text, 'host-cert', keys.publicKey);
    expect(asCert.ok ? null : asCert.error.code).toBe('grant.malformed');
    const other = openDocument(text, 'grant', generateSigningKey().publicKey);
    expect(other.ok ? null : other.error.code).toBe('grant.signature');
  });
});
