// The Damm check digit (H. Michael Damm, 2004): a weakly totally anti-symmetric quasigroup of
// order 10 catches every single-digit error and every adjacent transposition, with no
// eleventh symbol (unlike ISBN's X) and no weights.

/** The published quasigroup table: row = interim digit, column = next digit. */
const TABLE: readonly (readonly number[])[] = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/** The Damm check digit of a string of decimal digits. */
export function dammDigit(digits: string): string {
  return String(interim(digits));
}

/** Tells whether digits ending in their Damm check digit are intact. */
export function hasValidDammDigit(digits: string): boolean {
  return interim(digits) === 0;
}

function interim(digits: string): number {
  let state = 0;
  for (const digit of digits) {
    const next = TABLE[state]?.[digit.charCodeAt(0) - 48];
    // Callers pass only digits they have validated; anything else is a bug.
    if (next === undefined) throw new RangeError(`not a decimal digit: ${JSON.stringify(digit)}`);
    state = next;
  }
  return state;
}
