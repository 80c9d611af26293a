import { generateSigningKey, signBytes, verifyBytes } from '@slm/core';
import { describe, expect, it } from 'vitest';
import { createSigner } from '../src/vendor/signer.js';

const vendor = generateSigningKey();
const messages = Array.from({ length: 200 }, (_, i) => Buffer.from(`grant number ${i}`));

describe('the vendor signer', () => {
  it.each([0, 1, 3])(
    'when %i threads sign 200 messages at once then each signature is the one core makes',
    async (threads) => {
      const signer = createSigner(vendor.privateKeyPem, threads);
      try {
        const signatures = await Promise.all(messages.map((m) => signer.sign(m)));
        signatures.forEach((signature, i) => {
          const message = messages[i] ?? Buffer.alloc(0);
          expect(signature).toEqual(signBytes(message, vendor.privateKeyPem));
          expect(verifyBytes(message, signature, vendor.publicKey)).toBe(true);
        });
      } finally {
        await signer.close();
      }
    },
  );

  it('when the signer is closed then signing is refused, and signatures in flight are too', async () => {
    const signer = createSigner(vendor.privateKeyPem, 1);
    const inFlight = signer.sign(Buffer.from('late'));
    await signer.close();
    await expect(inFlight).rejects.toThrow('the signer is closed');
    await expect(signer.sign(Buffer.from('after'))).rejects.toThrow('the signer is closed');
  });

  it('when a signing thread fails then its signatures are refused with the cause, and the next batch gets a new thread', async () => {
    const signer = createSigner('not a private key', 1);
    try {
      await expect(signer.sign(Buffer.from('x'))).rejects.toThrow(
        /a signing thread (failed|stopped)/,
      );
      await expect(signer.sign(Buffer.from('y'))).rejects.toThrow(
        /a signing thread (failed|stopped)/,
      );
    } finally {
      await signer.close();
    }
  });
});
