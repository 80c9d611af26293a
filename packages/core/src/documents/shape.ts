/**
 * A cheap structural check for documents whose signature already verified. Full zod validation
 * happens where a document first enters (signing, installing, storing a grant); re-checking a
 * stored, signed document on every status read only needs to confirm the fields it reads, and
 * must not pay for loading a schema library on the display path.
 */
export type FieldType =
  | 'string'
  | 'number'
  | 'boolean'
  | 'string|null'
  | 'number|null'
  | 'string[]'
  | Shape;

/** The fields a document must have, and their types. */
export type Shape = { readonly [field: string]: FieldType };

/** Tells whether a value is an object whose fields have the listed types. */
export function matchesShape(value: unknown, shape: Shape): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return Object.entries(shape).every(([field, type]) => matchesField(record[field], type));
}

function matchesField(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'string|null':
      return value === null || typeof value === 'string';
    case 'number|null':
      return value === null || Number.isFinite(value);
    case 'number':
      return Number.isFinite(value);
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'string':
    case 'boolean':
      return typeof value === type;
    default:
      return matchesShape(value, type);
  }
}
