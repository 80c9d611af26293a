// Fixed-width unsigned bit fields packed into one bigint, shared by the product key and the
// Installation ID layouts so both read as a table of names and widths.

/** Field names mapped to widths in bits, most significant field first (object key order). */
export type BitLayout = Readonly<Record<string, number>>;

/** The values of a layout's fields. */
export type BitFields<L extends BitLayout> = { readonly [K in keyof L]: bigint };

/** Total width of a layout in bits. */
export function layoutWidth(layout: BitLayout): number {
  return Object.values(layout).reduce((sum, width) => sum + width, 0);
}

/** Packs field values into one number; a value that does not fit its width is a bug. */
export function packBits<L extends BitLayout>(layout: L, fields: BitFields<L>): bigint {
  let packed = 0n;
  for (const field of fieldsOf(layout)) {
    const value = fields[field.name as keyof L];
    if (value < 0n || value >> field.width !== 0n) {
      throw new RangeError(`${field.name} does not fit in ${field.width} bits`);
    }
    packed = (packed << field.width) | value;
  }
  return packed;
}

/** Splits a number into a layout's fields; bits above the layout's width are ignored. */
export function unpackBits<L extends BitLayout>(layout: L, packed: bigint): BitFields<L> {
  const fields: Record<string, bigint> = {};
  let rest = packed;
  const all = fieldsOf(layout);
  for (let i = all.length - 1; i >= 0; i--) {
    const field = all[i] as Field;
    fields[field.name] = rest & field.mask;
    rest >>= field.width;
  }
  return fields as BitFields<L>;
}

interface Field {
  readonly name: string;
  readonly width: bigint;
  readonly mask: bigint;
}

// Keys and Installation IDs are read on every activation request: a layout's fields, as
// bigints, are worked out once.
const FIELDS = new WeakMap<BitLayout, readonly Field[]>();

function fieldsOf(layout: BitLayout): readonly Field[] {
  let fields = FIELDS.get(layout);
  if (fields === undefined) {
    fields = Object.entries(layout).map(([name, width]) => ({
      name,
      width: BigInt(width),
      mask: (1n << BigInt(width)) - 1n,
    }));
    FIELDS.set(layout, fields);
  }
  return fields;
}

/** Big-endian unsigned number of bytes. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

/** Big-endian bytes of an unsigned number, exactly `length` long; a value too large is a bug. */
export function bigIntToBytes(value: bigint, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let rest = value;
  for (let i = length - 1; i >= 0; i--) {
    bytes[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  if (rest !== 0n || value < 0n) throw new RangeError(`value does not fit in ${length} bytes`);
  return bytes;
}
