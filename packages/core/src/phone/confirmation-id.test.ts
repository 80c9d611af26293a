import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSigningKey, toBase64Url } from '../crypto.js';
import { bytesToBigInt } from '../keys/bits.js';
import { mintProductKey, type ProductKey, parseProductKey } from '../keys/index.js';
import type { Result } from '../result.js';
import { toDigitGroups } from './digit-groups.js';
import {
  CID_COMPACT_PREFIX,
  installationId,
  issueConfirmationId,
  parseConfirmationId,
  verifyConfirmationId,
} from './index.js';

const VENDOR = generateSigningKey();
const OTHER_VENDOR = generateSigningKey();
const SECRET = new TextEncoder().encode('cid tests');
const MACHINE = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

function keyOf(serial: number): ProductKey {
  const parsed = parseProductKey(mintProductKey(SECRET, { channel: 'retail', skuCode: 3, serial }));
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

function failure(result: Result<unknown>): { code: string; context: unknown } {
  if (result.ok) throw new Error('expected a failure');
  return { code: result.error.code, context: result.error.context };
}

const IID = installationId(keyOf(1), MACHINE).content;
const CID = issueConfirmationId(IID, VENDOR.privateKeyPem);

describe('Confirmation ID', () => {
  it('is 31 groups of 6 digits, or CID1- and 86 base64url characters', () => {
    expect(CID.digits).toMatch(/^(\d{6}-){30}\d{6}$/);
    expect(CID.compact).toMatch(/^CID1-[A-Za-z0-9_-]{86}$/);
    expect(CID.compact.startsWith(CID_COMPACT_PREFIX)).toBe(true);
  });

  it('when either form is parsed then both give the same signature, which verifies', () => {
    const fromDigits = value(parseConfirmationId(CID.digits));
    expect(value(parseConfirmationId(CID.compact))).toEqual(fromDigits);
    expect(verifyConfirmationId(IID, fromDigits, VENDOR.publicKey)).toEqual({
      ok: true,
      value: true,
    });
  });

  it.each([
    ['spaces', CID.digits.replaceAll('-', ' ')],
    ['no separators', CID.digits.replaceAll('-', '')],
    [
      'a compact form with a lower-case prefix, wrapped',
      `cid1-${CID.compact.slice(5, 40)}\n${CID.compact.slice(40)}`,
    ],
  ])('when typed with %s then it reads', (_, typed) => {
    expect(toBase64Url(value(parseConfirmationId(typed)))).toBe(CID.compact.slice(5));
  });

  it('when any Installation ID is confirmed then both forms read back to a signature that verifies', () => {
    fc.assert(
      fc.property(fc.nat(0xffff_ffff), fc.stringMatching(/^[0-9a-f]{16}$/), (serial, machine) => {
        const content = installationId(keyOf(serial), machine).content;
        const cid = issueConfirmationId(content, VENDOR.privateKeyPem);
        const signature = value(parseConfirmationId(cid.digits));
        expect(value(parseConfirmationId(cid.compact))).toEqual(signature);
        expect(verifyConfirmationId(content, signature, VENDOR.publicKey).ok).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('when the Installation ID is for another machine or another key then cid.mismatch', () => {
    const signature = value(parseConfirmationId(CID.digits));
    const otherMachine = installationId(keyOf(1), `0${MACHINE.slice(1)}`).content;
    const otherKey = installationId(keyOf(2), MACHINE).content;
    expect(failure(verifyConfirmationId(otherMachine, signature, VENDOR.publicKey)).code).toBe(
      'cid.mismatch',
    );
    expect(failure(verifyConfirmationId(otherKey, signature, VENDOR.publicKey)).code).toBe(
      'cid.mismatch',
    );
  });

  it('when the Confirmation ID was signed by another vendor key then cid.mismatch', () => {
    const forged = value(
      parseConfirmationId(issueConfirmationId(IID, OTHER_VENDOR.privateKeyPem).digits),
    );
    expect(failure(verifyConfirmationId(IID, forged, VENDOR.publicKey)).code).toBe('cid.mismatch');
  });

  it('when the vendor public key is malformed then verifying throws: it is a configuration bug', () => {
    const signature = value(parseConfirmationId(CID.compact));
    expect(() => verifyConfirmationId(IID, signature, 'not-a-key')).toThrow(RangeError);
  });

  it('when any single digit in any group is mistyped then cid.check_digit names that group', () => {
    const digits = CID.digits.replaceAll('-', '');
    const misnamed = [...digits].flatMap((digit, i) =>
      [...'0123456789']
        .filter((d) => d !== digit)
        .map((d) => failure(parseConfirmationId(digits.slice(0, i) + d + digits.slice(i + 1))))
        .filter(({ code, context }) => code !== 'cid.check_digit' || !sameGroup(context, i)),
    );
    expect(misnamed).toEqual([]);
  });

  it('when any single digit of random Confirmation IDs is mistyped then the group is named', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        fc.nat(185),
        fc.integer({ min: 1, max: 9 }),
        (signature, i, shift) => {
          const printed = digitsOf(signature);
          const typo =
            printed.slice(0, i) + ((Number(printed.charAt(i)) + shift) % 10) + printed.slice(i + 1);
          const error = failure(parseConfirmationId(typo));
          expect(error).toEqual({
            code: 'cid.check_digit',
            context: { group: Math.floor(i / 6) + 1 },
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('Confirmation ID errors', () => {
  it('when a digit form holds a letter then cid.format names it', () => {
    expect(failure(parseConfirmationId(`12a${CID.digits.slice(3)}`))).toEqual({
      code: 'cid.format',
      context: { position: 3, character: 'a' },
    });
  });

  it('when a compact form holds a foreign character then cid.format', () => {
    const typed = `${CID.compact.slice(0, 10)}+${CID.compact.slice(11)}`;
    expect(failure(parseConfirmationId(typed))).toEqual({
      code: 'cid.format',
      context: { position: 11, character: '+' },
    });
  });

  it('when a compact form has non-canonical trailing bits then cid.format', () => {
    // 86 characters carry 516 bits for 512: a last character with its low 4 bits set is no signature.
    const typed = `${CID.compact.slice(0, -1)}B`;
    expect(failure(parseConfirmationId(typed)).code).toBe('cid.format');
  });

  it('when digits are missing then cid.length counts them against 186', () => {
    expect(failure(parseConfirmationId(CID.digits.slice(0, -7)))).toEqual({
      code: 'cid.length',
      context: { digits: 180, expected: 186 },
    });
  });

  it('when an Installation ID is entered instead then cid.length', () => {
    const iid = installationId(keyOf(1), MACHINE).digits;
    expect(failure(parseConfirmationId(iid)).context).toEqual({ digits: 54, expected: 186 });
  });

  it('when a compact form is cut short then cid.length counts characters against 86', () => {
    expect(failure(parseConfirmationId(CID.compact.slice(0, -2)))).toEqual({
      code: 'cid.length',
      context: { characters: 84, expected: 86 },
    });
  });

  it('when the digits are 2^512 or more then cid.format', () => {
    const digits = toDigitGroups('9'.repeat(155));
    expect(failure(parseConfirmationId(digits)).code).toBe('cid.format');
  });
});

function sameGroup(context: unknown, digitIndex: number): boolean {
  return (context as { group: number }).group === Math.floor(digitIndex / 6) + 1;
}

/** The 186 digits of a signature, computed here independently of the module under test. */
function digitsOf(signature: Uint8Array): string {
  const decimal = bytesToBigInt(signature).toString().padStart(155, '0');
  return toDigitGroups(decimal).replaceAll('-', '');
}
