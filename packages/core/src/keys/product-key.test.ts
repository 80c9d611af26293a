import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../errors.js';
import type { Result } from '../result.js';
import { checkSymbols } from './checksum.js';
import {
  CHANNELS,
  isAuthentic,
  KEY_ALPHABET,
  keyProof,
  mintProductKey,
  type ProductKey,
  parseProductKey,
} from './index.js';
import { packPayload } from './layout.js';
import { encodeKeyText } from './product-key.js';
import { formatKeySymbols } from './symbols.js';

const SECRET = new TextEncoder().encode('vendor key secret for tests');
const OTHER_SECRET = new TextEncoder().encode('another vendor');
const KEY = mintProductKey(SECRET, { channel: 'retail', skuCode: 4242, serial: 7 });

const fields = fc.record({
  channel: fc.constantFrom(...CHANNELS),
  skuCode: fc.integer({ min: 0, max: 0xffff }),
  serial: fc.integer({ min: 0, max: 0xffff_ffff }),
});

function parsed(text: string): ProductKey {
  const result = parseProductKey(text);
  if (!result.ok) throw result.error;
  return result.value;
}

function errorOf(result: Result<unknown>): { code: ErrorCode; context: unknown } {
  if (result.ok) throw new Error('expected a failure');
  return { code: result.error.code, context: result.error.context };
}

describe('minting and parsing', () => {
  it('when a key is minted then parsing gives back its fields and shape', () => {
    fc.assert(
      fc.property(fields, (mint) => {
        const text = mintProductKey(SECRET, mint);
        const key = parsed(text);
        expect(text).toMatch(/^([BCDFGHJKMPQRTVWXY2346789]{5}-){4}[BCDFGHJKMPQRTVWXY2346789]{5}$/);
        expect(key).toMatchObject({ ...mint, version: 1, text, partial: text.slice(-5) });
        expect(key.authenticator < 2n ** 51n).toBe(true);
      }),
    );
  });

  it('when a key is minted with the vendor secret then it is authentic', () => {
    fc.assert(
      fc.property(fields, (mint) => isAuthentic(SECRET, parsed(mintProductKey(SECRET, mint)))),
    );
  });

  it('when a key is minted with another secret then it parses but is not authentic', () => {
    const forged = parsed(mintProductKey(OTHER_SECRET, { channel: 'mak', skuCode: 1, serial: 2 }));
    expect(isAuthentic(SECRET, forged)).toBe(false);
    expect(isAuthentic(OTHER_SECRET, forged)).toBe(true);
  });

  it('when a hand-built key carries an authenticator wider than 51 bits then it is not authentic', () => {
    const genuine = parsed(KEY);
    const widened = { ...genuine, authenticator: genuine.authenticator + 2n ** 51n };
    expect(isAuthentic(SECRET, widened)).toBe(false);
    expect(isAuthentic(SECRET, { ...genuine, authenticator: -1n })).toBe(false);
  });

  it('when one field of a genuine key is changed and the checksum redone then it is not authentic', () => {
    const genuine = parsed(KEY);
    const altered = encodeKeyText(
      packPayload({ ...genuine, channel: 0, serial: 8, authenticator: genuine.authenticator }),
    );
    expect(isAuthentic(SECRET, parsed(altered))).toBe(false);
  });

  it('when minting fields are out of range then it throws a RangeError', () => {
    const mint = { channel: 'retail', skuCode: 1, serial: 1 } as const;
    expect(() => mintProductKey(SECRET, { ...mint, skuCode: 0x10000 })).toThrow(RangeError);
    expect(() => mintProductKey(SECRET, { ...mint, serial: 2 ** 32 })).toThrow(RangeError);
    expect(() => mintProductKey(SECRET, { ...mint, serial: 1.5 })).toThrow(RangeError);
    expect(() => mintProductKey(SECRET, { ...mint, skuCode: -1 })).toThrow(RangeError);
    const channel = 'gvlk' as unknown as 'retail';
    expect(() => mintProductKey(SECRET, { ...mint, channel })).toThrow(RangeError);
  });

  it('the partial key is the last five symbols', () => {
    expect(parsed(KEY).partial).toBe(KEY.slice(-5));
  });

  it('the key proof is 24 bits, stable, and differs between keys', () => {
    const proof = keyProof(parsed(KEY));
    const other = keyProof(
      parsed(mintProductKey(SECRET, { channel: 'retail', skuCode: 4242, serial: 8 })),
    );
    expect(proof).toBe(keyProof(parsed(KEY)));
    expect(proof).toBeGreaterThanOrEqual(0);
    expect(proof).toBeLessThan(2 ** 24);
    expect(other).not.toBe(proof);
  });
});

describe('normalisation', () => {
  const bare = KEY.replaceAll('-', '');
  it.each([
    ['lower case', KEY.toLowerCase()],
    ['no dashes', bare],
    ['no dashes, lower case', bare.toLowerCase()],
    ['spaces instead of dashes', KEY.replaceAll('-', ' ')],
    ['spaces around dashes', KEY.replaceAll('-', ' - ')],
    ['en dashes', KEY.replaceAll('-', '\u2013')],
    ['em dashes', KEY.replaceAll('-', '\u2014')],
    ['minus signs', KEY.replaceAll('-', '\u2212')],
    ['non-breaking hyphens', KEY.replaceAll('-', '\u2011')],
    ['surrounding whitespace', `  \t${KEY}\n `],
  ])('when the key is typed with %s then it reads as the same key', (_, input) => {
    expect(parsed(input).text).toBe(KEY);
  });
});

describe('format errors', () => {
  it.each([
    ['', 'key.empty'],
    ['   \t ', 'key.empty'],
    ['-----', 'key.empty'],
  ])('when the input is %j then the error is %s', (input, code) => {
    expect(errorOf(parseProductKey(input)).code).toBe(code);
  });

  it('when a foreign symbol is present then its position among symbols and the character are named', () => {
    const typed = `${KEY.slice(0, 6)}O${KEY.slice(7)}`;
    const error = errorOf(parseProductKey(typed));
    expect(error).toEqual({ code: 'key.symbol', context: { position: 6, character: 'O' } });
  });

  it('when a lower-case vowel is typed then the upper-cased character is named', () => {
    const error = errorOf(parseProductKey(`${KEY.slice(0, 28)}a`));
    expect(error).toEqual({ code: 'key.symbol', context: { position: 25, character: 'A' } });
  });

  it('when there are too few or too many symbols without dashes then key.length counts them', () => {
    const bare = KEY.replaceAll('-', '');
    expect(errorOf(parseProductKey(bare.slice(1)))).toEqual({
      code: 'key.length',
      context: { symbols: 24, expected: 25 },
    });
    expect(errorOf(parseProductKey(`${bare}B`)).context).toEqual({ symbols: 26, expected: 25 });
  });

  it.each([
    ['4 groups of 5', KEY.slice(6), { groups: 4, sizes: '5-5-5-5' }],
    [
      'a misplaced dash',
      `${KEY.slice(0, 4)}-${KEY.slice(4, 5)}${KEY.slice(6)}`,
      { groups: 5, sizes: '4-6-5-5-5' },
    ],
    ['a trailing dash', `${KEY}-`, { groups: 6, sizes: '5-5-5-5-5-0' }],
  ])(
    'when dashes are present with %s then key.group_count names the sizes',
    (_, input, context) => {
      expect(errorOf(parseProductKey(input))).toEqual({ code: 'key.group_count', context });
    },
  );

  it('when the check symbols do not match then key.checksum names only the partial key', () => {
    const swapped = `${KEY.slice(0, 28)}${KEY.at(-1) === 'B' ? 'C' : 'B'}`;
    const error = errorOf(parseProductKey(swapped));
    expect(error).toEqual({ code: 'key.checksum', context: { partial: swapped.slice(-5) } });
  });
});

describe('scheme errors', () => {
  const identity = { channel: 0, skuCode: 1, serial: 1, authenticator: 0n };

  it('when the version field is not 1 then key.version', () => {
    const text = encodeKeyText(packPayload({ ...identity, version: 2 }));
    expect(errorOf(parseProductKey(text))).toEqual({
      code: 'key.version',
      context: { partial: text.slice(-5), version: '2' },
    });
  });

  it('when the data symbols hold 2^105 or more then key.version (unsupported key scheme)', () => {
    const data = new Array<number>(23).fill(23);
    const text = formatKeySymbols([...data, ...checkSymbols(data)]);
    expect(errorOf(parseProductKey(text))).toEqual({
      code: 'key.version',
      context: { partial: text.slice(-5), version: 'unknown' },
    });
  });

  it.each([6, 7])('when the channel number is %i then key.wrong_channel', (channel) => {
    const text = encodeKeyText(packPayload({ ...identity, version: 1, channel }));
    expect(errorOf(parseProductKey(text))).toEqual({
      code: 'key.wrong_channel',
      context: { partial: text.slice(-5), channel },
    });
  });
});

describe('secrecy', () => {
  it('whatever goes wrong, neither the message nor the context holds the full key', () => {
    const mutate = fc.tuple(fields, fc.nat(24), fc.nat(23));
    fc.assert(
      fc.property(mutate, ([mint, position, shift]) => {
        const symbols = [...mintProductKey(SECRET, mint).replaceAll('-', '')];
        symbols[position] =
          KEY_ALPHABET[(KEY_ALPHABET.indexOf(symbols[position] ?? '') + shift + 1) % 24] ?? '';
        const typed = symbols.join('');
        const result = parseProductKey(typed);
        if (result.ok) return;
        const shown = JSON.stringify(result.error) + result.error.message;
        expect(shown.replaceAll('-', '')).not.toContain(typed.slice(0, 20));
      }),
    );
  });
});

describe('a dashed key of the wrong length', () => {
  it('when five dashed groups hold 26 symbols then key.length says how many', () => {
    expect(errorOf(parseProductKey(`${KEY}B`))).toEqual({
      code: 'key.length',
      context: { symbols: 26, expected: 25 },
    });
  });
});
