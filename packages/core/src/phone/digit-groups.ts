import type { ErrorCode } from '../errors.js';
import { fail, ok, type Result } from '../result.js';
import { dammDigit, hasValidDammDigit } from './damm.js';

/** How one kind of phone activation number is read: its name, size and error codes. */
export interface DigitGroupScheme {
  readonly name: string;
  readonly groups: number;
  readonly codes: {
    readonly format: ErrorCode;
    readonly length: ErrorCode;
    readonly check: ErrorCode;
  };
}

/** Data digits per group; each group then gets one Damm check digit. */
export const GROUP_DATA_DIGITS = 5;
const GROUP_DIGITS = GROUP_DATA_DIGITS + 1;
// Dashes as typed or pasted (hyphen, en and em dash, minus sign ...) and any whitespace.
const SEPARATORS = /[\s\p{Pd}\u2212]/u;

/** Groups data digits by five, appends each group's Damm digit, joins the groups with '-'. */
export function toDigitGroups(data: string): string {
  const groups = data.match(/\d{1,5}/g) ?? [];
  return groups.map((group) => group + dammDigit(group)).join('-');
}

/** Reads grouped digits (dashes, spaces or nothing between groups) back to the data digits. */
export function readDigitGroups(text: string, scheme: DigitGroupScheme): Result<string> {
  const digits = digitsOf(text.trim(), scheme);
  if (!digits.ok) return digits;
  const expected = scheme.groups * GROUP_DIGITS;
  if (digits.value.length !== expected) return wrongLength(digits.value.length, scheme);
  return checkGroups(digits.value, scheme);
}

function wrongLength(count: number, scheme: DigitGroupScheme): Result<never> {
  const expected = scheme.groups * GROUP_DIGITS;
  const shape = `${scheme.groups} groups of ${GROUP_DIGITS}`;
  return fail(
    scheme.codes.length,
    `${article(scheme.name)} has ${expected} digits (${shape}); this one has ${count}.`,
    { digits: count, expected },
  );
}

function digitsOf(text: string, scheme: DigitGroupScheme): Result<string> {
  let digits = '';
  let position = 0;
  for (const character of text) {
    position += 1;
    if (/\d/.test(character)) digits += character;
    else if (!SEPARATORS.test(character)) return foreignCharacter(character, position, scheme);
  }
  return ok(digits);
}

function foreignCharacter(character: string, position: number, scheme: DigitGroupScheme) {
  const shown = JSON.stringify(character);
  return fail(
    scheme.codes.format,
    `${article(scheme.name)} holds only digits, dashes and spaces; character ${position} ` +
      `is ${shown}.`,
    { position, character },
  );
}

function checkGroups(digits: string, scheme: DigitGroupScheme): Result<string> {
  let data = '';
  for (let group = 1; group <= scheme.groups; group++) {
    const digitsOfGroup = digits.slice((group - 1) * GROUP_DIGITS, group * GROUP_DIGITS);
    if (!hasValidDammDigit(digitsOfGroup)) {
      return fail(
        scheme.codes.check,
        `Group ${group} of the ${scheme.name} is mistyped: its check digit does not match.`,
        { group },
      );
    }
    data += digitsOfGroup.slice(0, GROUP_DATA_DIGITS);
  }
  return ok(data);
}

function article(name: string): string {
  return `${/^[AEIOU]/.test(name) ? 'An' : 'A'} ${name}`;
}
