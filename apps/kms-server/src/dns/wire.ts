// The pieces of DNS wire format that the update and its TSIG both write. dns-packet encodes
// names and SRV data, but its type definitions leave these codecs out.
import * as dnsPacket from 'dns-packet';

interface Codec<T> {
  encode(value: T): Buffer;
}

export const codecs = dnsPacket as unknown as {
  name: Codec<string> & {
    decode: ((buf: Buffer, offset: number) => string) & { bytes: number };
  };
  srv: Codec<{ priority: number; weight: number; port: number; target: string }>;
};

/** A big-endian unsigned integer of `bytes` bytes (2, 4 or 6 in DNS messages). */
export function uint(value: number, bytes: 2 | 4 | 6): Buffer {
  const buffer = Buffer.alloc(bytes);
  buffer.writeUIntBE(value, 0, bytes);
  return buffer;
}

export const u16 = (value: number): Buffer => uint(value, 2);
export const u32 = (value: number): Buffer => uint(value, 4);
export const u48 = (value: number): Buffer => uint(value, 6);
