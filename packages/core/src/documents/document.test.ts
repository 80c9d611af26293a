import { describe, expect, it } from 'vitest';
import { generateSigningKey } from '../crypto.js';
import { openDocument, signDocument, splitDocument } from './document.js';

const keys = generateSigningKey();

describe('signed documents', () => {
  it('when a document is signed then it opens with the same key and kind', () => {
    const text = signDocument('grant', { a: 1 }, keys.privateKeyPem);
    expect(openDocument(text, 'grant', keys.publicKey)).toEqual({ ok: true, value: { a: 1 } });
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
