import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dammDigit, hasValidDammDigit } from './damm.js';

const DIGITS = '0123456789';

/** Every string that differs from `digits` in exactly one digit. */
function singleDigitErrors(digits: string): string[] {
  return [...digits].flatMap((digit, i) =>
    [...DIGITS].filter((d) => d !== digit).map((d) => digits.slice(0, i) + d + digits.slice(i + 1)),
  );
}

/** Every string made by swapping two neighbouring differing digits of `digits`. */
function adjacentSwaps(digits: string): string[] {
  return [...digits.slice(1)].flatMap((next, i) => {
    const current = digits.charAt(i);
    return current === next ? [] : [digits.slice(0, i) + next + current + digits.slice(i + 2)];
  });
}

describe('Damm check digit', () => {
  it('matches the published example: 572 has check digit 4', () => {
    expect(dammDigit('572')).toBe('4');
    expect(hasValidDammDigit('5724')).toBe(true);
    expect(hasValidDammDigit('5727')).toBe(false);
  });

  it('when any digit of a five-digit group is mistyped or two neighbours swapped then the group fails', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{5}$/), (data) => {
        const group = data + dammDigit(data);
        expect(hasValidDammDigit(group)).toBe(true);
        const typos = [...singleDigitErrors(group), ...adjacentSwaps(group)];
        expect(typos.filter(hasValidDammDigit)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('when a character is not a digit then it throws: callers validate first', () => {
    expect(() => dammDigit('12a')).toThrow(RangeError);
  });
});
