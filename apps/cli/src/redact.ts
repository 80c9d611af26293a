import type { ErrorContext } from '@slm/core/status';

// Five groups of five letters or digits, split by a dash (typographic ones too) or not at all,
// standing alone: anything a person could have meant as a product key.
const DASHED = /(?<![A-Za-z0-9])(?:[A-Za-z0-9]{5}[-‐‑‒–—]){4}([A-Za-z0-9]{5})(?![A-Za-z0-9])/g;
const COMPACT = /(?<![A-Za-z0-9])[A-Za-z0-9]{20}([A-Za-z0-9]{5})(?![A-Za-z0-9])/g;

/**
 * Masks every product-key-shaped run in text to its last group, as the partial product key
 * shows it: `BCDFG-HJKMP-QRTVW-XY234-KC32P` reads `*****-*****-*****-*****-KC32P`.
 */
export function maskProductKeys(text: string): string {
  const masked = (_: string, last: string) => `*****-*****-*****-*****-${last}`;
  return text.replace(DASHED, masked).replace(COMPACT, masked);
}

/** The context with every string value masked, for an error that echoes what was typed. */
export function maskContext(context: ErrorContext): ErrorContext {
  const entries = Object.entries(context).map(([name, value]) => [
    name,
    typeof value === 'string' ? maskProductKeys(value) : value,
  ]);
  return Object.fromEntries(entries);
}
