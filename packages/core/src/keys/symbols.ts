import { fail, ok, type Result } from '../result.js';

/** The 24 product key symbols (no vowels, no 0/O, 1/I/L, 5/S look-alikes); value = index. */
export const KEY_ALPHABET = 'BCDFGHJKMPQRTVWXY2346789';

/** Symbols in a product key: 23 data symbols and 2 check symbols. */
export const KEY_LENGTH = 25;

const GROUPS = 5;
const GROUP_SIZE = 5;
// The value of each ASCII character code, -1 for characters that are not key symbols.
const VALUE_OF = Int8Array.from({ length: 128 }, (_, code) =>
  KEY_ALPHABET.indexOf(String.fromCharCode(code)),
);
const DASH = 0x2d;
// Text that is already upper-case ASCII letters, digits and '-' needs no normalising.
const NORMAL = /^[-0-9A-Z]*$/;
// Dash punctuation (hyphen, en and em dash, figure dash, horizontal bar, ...) and the minus
// sign: word processors and web pages turn the dashes of a copied key into any of these.
const DASHES = /[\p{Pd}\u2212]/gu;

/** A typed or pasted key without whitespace, ASCII upper-cased, every kind of dash as '-'. */
export function normaliseKeyText(input: string): string {
  if (NORMAL.test(input)) return input;
  return input
    .replace(/\s/gu, '')
    .replace(DASHES, '-')
    .replace(/[a-z]/g, (letter) => letter.toUpperCase());
}

/**
 * Reads the 25 symbol values of a product key. Checks run in the order a person can act on:
 * empty, foreign symbol (1-based position among symbols, dashes not counted), grouping when
 * dashes are present (a missing or extra group is named as such), then the symbol count, then
 * the size of each group.
 */
export function readKeySymbols(input: string): Result<number[]> {
  const text = normaliseKeyText(input);
  const values = symbolValues(text);
  if (!values.ok) return values;
  if (values.value.length === 0) return fail('key.empty', 'No product key was entered.');
  const sizes = text.includes('-') ? text.split('-').map((group) => group.length) : null;
  if (sizes !== null && sizes.length !== GROUPS) return wrongGroups(sizes);
  if (values.value.length !== KEY_LENGTH) return wrongLength(values.value.length);
  if (sizes?.some((size) => size !== GROUP_SIZE)) return wrongGroups(sizes);
  return values;
}

/** The normalised text of a key: five groups of five symbols joined by '-'. */
export function formatKeySymbols(values: readonly number[]): string {
  let text = '';
  for (const [index, value] of values.entries()) {
    if (index > 0 && index % GROUP_SIZE === 0) text += '-';
    text += KEY_ALPHABET.charAt(value);
  }
  return text;
}

function symbolValues(text: string): Result<number[]> {
  const values: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === DASH) continue;
    const value = code < VALUE_OF.length ? (VALUE_OF[code] ?? -1) : -1;
    if (value < 0)
      return foreignSymbol(String.fromCodePoint(text.codePointAt(i) ?? code), values.length + 1);
    values.push(value);
  }
  return ok(values);
}

function foreignSymbol(character: string, position: number): Result<never> {
  return fail(
    'key.symbol',
    `Symbol ${position} of the product key, ${JSON.stringify(character)}, is not a key symbol ` +
      `(keys use only these 24 symbols: ${KEY_ALPHABET}).`,
    { position, character },
  );
}

function wrongGroups(sizes: readonly number[]): Result<never> {
  return fail(
    'key.group_count',
    `A product key is ${GROUPS} groups of ${GROUP_SIZE} symbols; this one has ${sizes.length} ` +
      `groups (of ${sizes.join(', ')} symbols).`,
    { groups: sizes.length, sizes: sizes.join('-') },
  );
}

function wrongLength(count: number): Result<never> {
  return fail('key.length', `A product key has ${KEY_LENGTH} symbols; this one has ${count}.`, {
    symbols: count,
    expected: KEY_LENGTH,
  });
}
