import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSymbols, hasValidChecksum } from './checksum.js';
import { CHANNELS, KEY_ALPHABET, mintProductKey, parseProductKey } from './index.js';

const SECRET = new TextEncoder().encode('checksum tests');
const dataSymbols = fc.array(fc.nat(23), { minLength: 23, maxLength: 23 });
const mintedKeys = fc
  .record({
    channel: fc.constantFrom(...CHANNELS),
    skuCode: fc.integer({ min: 0, max: 0xffff }),
    serial: fc.integer({ min: 0, max: 0xffff_ffff }),
  })
  .map((fields) => mintProductKey(SECRET, fields).replaceAll('-', ''));

/** Every key that differs from `symbols` in exactly one symbol. */
function substitutions(symbols: readonly number[]): number[][] {
  return symbols.flatMap((value, position) =>
    [...Array(KEY_ALPHABET.length).keys()]
      .filter((other) => other !== value)
      .map((other) => symbols.map((v, i) => (i === position ? other : v))),
  );
}

/** Every key made by swapping two neighbouring, differing symbols of `symbols`. */
function adjacentSwaps(symbols: readonly number[]): number[][] {
  return symbols.slice(1).flatMap((next, i) => {
    const current = symbols[i] ?? -1;
    if (current === next) return [];
    const swapped = [...symbols];
    swapped[i] = next;
    swapped[i + 1] = current;
    return [swapped];
  });
}

function complete(data: readonly number[]): number[] {
  return [...data, ...checkSymbols(data)];
}

function text(values: readonly number[]): string {
  return values.map((value) => KEY_ALPHABET.charAt(value)).join('');
}

function codeOf(key: string): string {
  const result = parseProductKey(key);
  return result.ok ? 'accepted' : result.error.code;
}

describe('check symbols', () => {
  it('when check symbols are computed then the check value stays below 571 and passes', () => {
    fc.assert(fc.property(dataSymbols, (data) => hasValidChecksum(complete(data))));
  });

  it('when any one symbol at any position is replaced by any other then the check fails', () => {
    fc.assert(
      fc.property(dataSymbols, (data) => {
        expect(substitutions(complete(data)).filter(hasValidChecksum)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('when any two neighbouring differing symbols are swapped then the check fails', () => {
    fc.assert(
      fc.property(dataSymbols, (data) => {
        expect(adjacentSwaps(complete(data)).filter(hasValidChecksum)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('when the check value is 571 or more then the check fails even if the sum fits', () => {
    const data = new Array<number>(23).fill(0);
    // All-zero data needs c = 0; c = 571 (x = 23, y = 19) is the same residue, out of range.
    expect(hasValidChecksum([...data, 0, 0])).toBe(true);
    expect(hasValidChecksum([...data, 23, 19])).toBe(false);
  });
});

describe('product keys with a typo', () => {
  it('when any symbol of a real key is mistyped as any other then parsing says key.checksum', () => {
    fc.assert(
      fc.property(mintedKeys, (key) => {
        const values = [...key].map((symbol) => KEY_ALPHABET.indexOf(symbol));
        const codes = new Set(substitutions(values).map((typo) => codeOf(text(typo))));
        expect([...codes]).toEqual(['key.checksum']);
      }),
      { numRuns: 30 },
    );
  });

  it('when two neighbouring symbols of a real key are swapped then parsing says key.checksum', () => {
    fc.assert(
      fc.property(mintedKeys, (key) => {
        const values = [...key].map((symbol) => KEY_ALPHABET.indexOf(symbol));
        const codes = new Set(adjacentSwaps(values).map((swap) => codeOf(text(swap))));
        expect([...codes]).toEqual(adjacentSwaps(values).length > 0 ? ['key.checksum'] : []);
      }),
      { numRuns: 200 },
    );
  });
});
