import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packBits } from '../keys/bits.js';
import { CHANNELS, mintProductKey, type ProductKey, parseProductKey } from '../keys/index.js';
import type { Result } from '../result.js';
import { toDigitGroups } from './digit-groups.js';
import {
  formatInstallationId,
  IID_LAYOUT,
  type InstallationIdContent,
  installationId,
  installationIdMessage,
  parseInstallationId,
} from './installation-id.js';

const SECRET = new TextEncoder().encode('iid tests');
const FINGERPRINT = '0123456789abcdef'.repeat(4);

const contents: fc.Arbitrary<InstallationIdContent> = fc.record({
  version: fc.constant(1),
  channel: fc.constantFrom(...CHANNELS),
  skuCode: fc.integer({ min: 0, max: 0xffff }),
  serial: fc.integer({ min: 0, max: 0xffff_ffff }),
  keyProof: fc.integer({ min: 0, max: 0xff_ffff }),
  machine: fc.stringMatching(/^[0-9a-f]{16}$/),
});

function keyOf(serial: number): ProductKey {
  const parsed = parseProductKey(mintProductKey(SECRET, { channel: 'oem', skuCode: 9, serial }));
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

function failure(result: Result<unknown>): { code: string; context: unknown } {
  if (result.ok) throw new Error('expected a failure');
  return { code: result.error.code, context: result.error.context };
}

/** Digits for a raw 149-bit value, with correct check digits: to reach the version checks. */
function rawIid(fields: Partial<Record<keyof typeof IID_LAYOUT, bigint>>): string {
  const base = { version: 1n, channel: 0n, skuCode: 0n, serial: 0n, keyProof: 0n, machine: 0n };
  const value = packBits(IID_LAYOUT, { ...base, padding: 0n, ...fields });
  return toDigitGroups(value.toString().padStart(45, '0'));
}

describe('Installation ID', () => {
  it('when made from a key and a machine then it is 9 groups of 6 digits holding both', () => {
    const key = keyOf(77);
    const { digits, content } = installationId(key, FINGERPRINT.toUpperCase());
    expect(digits).toMatch(/^(\d{6}-){8}\d{6}$/);
    expect(content).toMatchObject({ version: 1, channel: 'oem', skuCode: 9, serial: 77 });
    expect(content.machine).toBe('0123456789abcdef');
    expect(parseInstallationId(digits)).toEqual({ ok: true, value: content });
  });

  it('when the key or the machine changes then the Installation ID changes', () => {
    const iid = installationId(keyOf(1), FINGERPRINT).digits;
    expect(installationId(keyOf(2), FINGERPRINT).digits).not.toBe(iid);
    expect(installationId(keyOf(1), `f${FINGERPRINT.slice(1)}`).digits).not.toBe(iid);
  });

  it('when any content is formatted then parsing gives it back', () => {
    fc.assert(
      fc.property(contents, (content) => {
        expect(parseInstallationId(formatInstallationId(content))).toEqual({
          ok: true,
          value: content,
        });
      }),
    );
  });

  it.each([
    ['spaces', (iid: string) => iid.replaceAll('-', ' ')],
    ['nothing', (iid: string) => iid.replaceAll('-', '')],
    [
      'en dashes and surrounding whitespace',
      (iid: string) => ` ${iid.replaceAll('-', '\u2013')}\n`,
    ],
  ])('when the groups are separated by %s then it still reads', (_, retype) => {
    const { digits, content } = installationId(keyOf(5), FINGERPRINT);
    expect(parseInstallationId(retype(digits))).toEqual({ ok: true, value: content });
  });

  it('when any single digit in any group is mistyped then iid.check_digit names that group', () => {
    fc.assert(
      fc.property(contents, (content) => {
        const digits = formatInstallationId(content).replaceAll('-', '');
        const named = [...digits].flatMap((digit, i) =>
          [...'0123456789']
            .filter((d) => d !== digit)
            .map((d) => failure(parseInstallationId(digits.slice(0, i) + d + digits.slice(i + 1))))
            .filter((error) => error.code !== 'iid.check_digit' || !sameGroup(error.context, i)),
        );
        expect(named).toEqual([]);
      }),
      { numRuns: 20 },
    );
  });

  it('the message a Confirmation ID signs is "slm-cid/1:" and the 45 data digits', () => {
    const { digits, content } = installationId(keyOf(3), FINGERPRINT);
    const data = digits
      .split('-')
      .map((group) => group.slice(0, 5))
      .join('');
    expect(new TextDecoder().decode(installationIdMessage(content))).toBe(`slm-cid/1:${data}`);
  });

  it('when content is out of range then formatting throws: it is a bug', () => {
    const content = installationId(keyOf(3), FINGERPRINT).content;
    expect(() => formatInstallationId({ ...content, machine: 'xyz' })).toThrow(RangeError);
    expect(() => formatInstallationId({ ...content, keyProof: 2 ** 24 })).toThrow(RangeError);
    expect(() => installationId(keyOf(3), 'abc')).toThrow(RangeError);
  });
});

describe('Installation ID errors', () => {
  const iid = installationId(keyOf(4), FINGERPRINT).digits;

  it('when a character is not a digit, dash or space then iid.format names it', () => {
    expect(failure(parseInstallationId(`${iid.slice(0, 3)}x${iid.slice(4)}`))).toEqual({
      code: 'iid.format',
      context: { position: 4, character: 'x' },
    });
  });

  it('when digits are missing or extra then iid.length counts them against 54', () => {
    expect(failure(parseInstallationId(iid.slice(0, -1)))).toEqual({
      code: 'iid.length',
      context: { digits: 53, expected: 54 },
    });
    expect(failure(parseInstallationId('')).context).toEqual({ digits: 0, expected: 54 });
  });

  it('when a group check digit is wrong then iid.check_digit names the group in message and context', () => {
    const groups = iid.split('-');
    const third = groups[2] ?? '';
    groups[2] = third.slice(0, 5) + ((Number(third.at(5)) + 1) % 10);
    const result = parseInstallationId(groups.join('-'));
    expect(failure(result)).toEqual({ code: 'iid.check_digit', context: { group: 3 } });
    expect(result.ok || result.error.message).toMatch(/Group 3/);
  });

  it.each([
    ['an unknown version', { version: 2n }, 'version 2', 'unknown_scheme'],
    ['version 0', { version: 0n }, 'version 0', 'mistyped'],
    ['non-zero padding', { padding: 1n }, 'its padding is not zero', 'mistyped'],
    ['an undefined channel', { channel: 6n }, 'channel 6 is undefined', 'mistyped'],
  ])('when it has %s then iid.version', (_, fields, reason, likely) => {
    expect(failure(parseInstallationId(rawIid(fields)))).toEqual({
      code: 'iid.version',
      context: { reason, likely },
    });
  });

  it('when two groups are swapped then iid.version says it is mistyped, not a newer scheme', () => {
    const groups = installationId(keyOf(4), FINGERPRINT).digits.split('-');
    const swapped = [groups[1], groups[0], ...groups.slice(2)].join('-');
    const result = parseInstallationId(swapped);
    expect(failure(result)).toMatchObject({ code: 'iid.version', context: { likely: 'mistyped' } });
    expect(result.ok || result.error.message).toMatch(/mistyped.*order/);
    expect(result.ok || result.error.message).not.toMatch(/newer scheme/);
  });

  it('when a version is neither 0 nor 1 then the message allows a mistyped ID too', () => {
    const result = parseInstallationId(rawIid({ version: 2n }));
    expect(result.ok || result.error.message).toMatch(/unknown scheme or is mistyped/);
  });

  it('when the 45 data digits exceed 149 bits then iid.version', () => {
    const digits = toDigitGroups('9'.repeat(45));
    expect(failure(parseInstallationId(digits)).code).toBe('iid.version');
  });
});

function sameGroup(context: unknown, digitIndex: number): boolean {
  return (context as { group: number }).group === Math.floor(digitIndex / 6) + 1;
}
