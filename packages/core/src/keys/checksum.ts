// The two check symbols of a product key: a weighted sum modulo the prime 571.
//
// Over all 25 symbol values a_i: sum(w_i * a_i) ≡ 0 (mod 571), with w_i = i + 25 for the 23
// data symbols, w_23 = 24 and w_24 = 1, so the check symbols x, y hold c = 24x + y < 571.
// Why every single-symbol error and every adjacent transposition is caught:
//   a substitution changes the sum by w_i·d, a swap of neighbours by (w_i − w_{i+1})·d, where
//   0 < |d| ≤ 23 and the weight (25..47, 24, 1) or weight difference (1 or 23) is nonzero and
//   below 571; 571 is prime and divides neither factor, so it cannot divide their product.

const MODULUS = 571;
const DATA_SYMBOLS = 23;
const BASE = 24;

/** The two check symbols (x, y) that complete 23 data symbol values. */
export function checkSymbols(data: readonly number[]): [number, number] {
  const c = mod(-weightedSum(data), MODULUS);
  return [Math.floor(c / BASE), c % BASE];
}

/** Tells whether 25 symbol values satisfy the check, with the check value in its range. */
export function hasValidChecksum(symbols: readonly number[]): boolean {
  const x = symbols[DATA_SYMBOLS] ?? 0;
  const y = symbols[DATA_SYMBOLS + 1] ?? 0;
  return BASE * x + y < MODULUS && mod(weightedSum(symbols), MODULUS) === 0;
}

function weight(index: number): number {
  if (index < DATA_SYMBOLS) return index + 25;
  return index === DATA_SYMBOLS ? 24 : 1;
}

function weightedSum(symbols: readonly number[]): number {
  return symbols.reduce((sum, value, index) => sum + weight(index) * value, 0);
}

function mod(value: number, modulus: number): number {
  return ((value % modulus) + modulus) % modulus;
}
