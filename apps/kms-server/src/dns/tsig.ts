// TSIG (RFC 8945) with HMAC-SHA256: signs the host's DNS updates and checks the server's answers.
// dns-packet has no TSIG codec (it reads the record as opaque data), so the record is ours.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { codecs, u16, u32, u48 } from './wire.js';

const names = codecs.name;

/** A TSIG key (RFC 8945), HMAC-SHA256. */
export interface TsigKey {
  readonly name: string;
  readonly secret: Buffer;
}

/** A message with its TSIG record appended, and the MAC: an answer's MAC covers the request's. */
export interface Signed {
  readonly message: Buffer;
  readonly mac: Buffer;
}

/** Whether an answer's TSIG proves it came from the server holding the key; why not, if not. */
export type TsigVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string; readonly serverError: boolean };

/** A TSIG record as read from a message; `start` is where the message without it ends. */
interface TsigRecord {
  readonly start: number;
  readonly keyName: string;
  readonly algorithm: string;
  readonly timeSigned: number;
  readonly fudge: number;
  readonly mac: Buffer;
  readonly originalId: number;
  readonly error: number;
  readonly other: Buffer;
}

export const TSIG_ALGORITHM = 'hmac-sha256';
const FUDGE_SECONDS = 300;
const TYPE_TSIG = 250;
const CLASS_ANY = 255;
// Truncated MACs (RFC 8945 §5.2.2.1) are not accepted: BIND and our updates send all 32 bytes.
const MAC_BYTES = 32;
const TSIG_ERRORS: Record<number, string> = { 16: 'BADSIG', 17: 'BADKEY', 18: 'BADTIME' };

/** Appends a TSIG record (ARCOUNT + 1); give the request's MAC to sign an answer to it. */
export function signTsig(
  message: Buffer,
  key: TsigKey,
  now: number,
  requestMac: Buffer | null = null,
): Signed {
  const record = {
    keyName: key.name,
    algorithm: TSIG_ALGORITHM,
    timeSigned: Math.floor(now / 1000),
    fudge: FUDGE_SECONDS,
    error: 0,
    other: Buffer.alloc(0),
  };
  const mac = macOf(key.secret, requestMac, message, record);
  const rdata = Buffer.concat([
    names.encode(TSIG_ALGORITHM),
    u48(record.timeSigned),
    u16(FUDGE_SECONDS),
    u16(mac.length),
    mac,
    message.subarray(0, 2),
    u16(0),
    u16(0),
  ]);
  const rr = [names.encode(key.name), u16(TYPE_TSIG), u16(CLASS_ANY), u32(0), u16(rdata.length)];
  const signed = Buffer.concat([message, ...rr, rdata]);
  signed.writeUInt16BE(message.readUInt16BE(10) + 1, 10);
  return { message: signed, mac };
}

/**
 * Checks the TSIG of an answer to a request signed with `key` (RFC 8945 §5.3, §5.4): the key
 * name and algorithm, then the MAC over the request's MAC, the answer without its TSIG record
 * (original ID restored) and the TSIG variables, then the time against the fudge.
 */
export function verifyTsig(
  answer: Buffer,
  request: { readonly key: TsigKey; readonly mac: Buffer },
  now: number,
): TsigVerdict {
  let record: TsigRecord | null;
  try {
    record = readTsig(answer);
  } catch (error) {
    const what = error instanceof RangeError ? 'it ends inside a record' : (error as Error).message;
    return untrusted(`it is malformed (${what})`);
  }
  const { key } = request;
  if (record === null) {
    return untrusted(`it carries no TSIG record, though the update was signed with ${key.name}`);
  }
  return checkKey(record, key) ?? checkMac(answer, record, request) ?? checkTime(record, now);
}

function checkKey(record: TsigRecord, key: TsigKey): TsigVerdict | null {
  const same = (a: string, b: string) => a.replace(/\.$/, '').toLowerCase() === b.toLowerCase();
  if (same(record.keyName, key.name) && same(record.algorithm, TSIG_ALGORITHM)) return null;
  return untrusted(
    `it is signed with key ${record.keyName} (${record.algorithm}), not ${key.name} (${TSIG_ALGORITHM})`,
  );
}

function checkMac(answer: Buffer, record: TsigRecord, request: { key: TsigKey; mac: Buffer }) {
  // An unsigned answer naming a TSIG error is how a server says it rejected our signature.
  if (record.mac.length === 0 && record.error !== 0) return serverError(record, request.key);
  if (record.mac.length !== MAC_BYTES) {
    return untrusted(
      `its TSIG MAC has ${record.mac.length} bytes; only full ${MAC_BYTES}-byte ${TSIG_ALGORITHM} MACs are accepted`,
    );
  }
  const body = Buffer.from(answer.subarray(0, record.start));
  body.writeUInt16BE(record.originalId, 0);
  body.writeUInt16BE(body.readUInt16BE(10) - 1, 10);
  const expected = macOf(request.key.secret, request.mac, body, record);
  if (!timingSafeEqual(record.mac, expected)) {
    return untrusted(
      `its TSIG does not verify with ${request.key.name} (changed on the way, or signed with another key)`,
    );
  }
  return record.error === 0 ? null : serverError(record, request.key);
}

function checkTime(record: TsigRecord, now: number): TsigVerdict {
  const skew = Math.abs(Math.floor(now / 1000) - record.timeSigned);
  if (skew <= record.fudge) return { ok: true };
  const at = new Date(record.timeSigned * 1000).toISOString();
  return untrusted(
    `it was signed at ${at}, ${skew} s from this host's clock (fudge ${record.fudge} s)`,
  );
}

function serverError(record: TsigRecord, key: TsigKey): TsigVerdict {
  const name = TSIG_ERRORS[record.error] ?? `error ${record.error}`;
  const why: Record<string, string> = {
    BADSIG: `it did not accept the update's signature (is ${key.name} the server's key?)`,
    BADKEY: `it does not know the key ${key.name}`,
    BADTIME: `its clock${serverClock(record)} differs from this host's by more than the fudge`,
  };
  return { ok: false, serverError: true, reason: `TSIG ${name}: ${why[name] ?? 'refused'}` };
}

// A BADTIME answer carries the server's time in its other data (RFC 8945 §5.2.3).
function serverClock(record: TsigRecord): string {
  if (record.other.length !== 6) return '';
  return ` (${new Date(record.other.readUIntBE(0, 6) * 1000).toISOString()})`;
}

function untrusted(reason: string): TsigVerdict {
  return { ok: false, serverError: false, reason };
}

/** The MAC (RFC 8945 §4.3): request MAC (answers only), message, then the TSIG variables. */
function macOf(
  secret: Buffer,
  requestMac: Buffer | null,
  message: Buffer,
  record: Omit<TsigRecord, 'start' | 'mac' | 'originalId'>,
): Buffer {
  const hmac = createHmac('sha256', secret);
  if (requestMac !== null) hmac.update(u16(requestMac.length)).update(requestMac);
  const variables = Buffer.concat([
    names.encode(record.keyName.toLowerCase()),
    u16(CLASS_ANY),
    u32(0),
    names.encode(record.algorithm.toLowerCase()),
    u48(record.timeSigned),
    u16(record.fudge),
    u16(record.error),
    u16(record.other.length),
    record.other,
  ]);
  return hmac.update(message).update(variables).digest();
}

/** The TSIG record of a message: it must be the last record (RFC 8945 §5.1); null if absent. */
function readTsig(message: Buffer): TsigRecord | null {
  const records = [6, 8, 10].reduce((sum, at) => sum + message.readUInt16BE(at), 0);
  let offset = 12;
  for (let i = 0; i < message.readUInt16BE(4); i++) offset = skipName(message, offset) + 4;
  let last: { start: number; type: number; klass: number; ttl: number } | null = null;
  for (let i = 0; i < records; i++) {
    if (last?.type === TYPE_TSIG) throw new Error('a TSIG record that is not the last');
    const start = offset;
    offset = skipName(message, offset);
    const ttl = message.readUInt32BE(offset + 4);
    last = {
      start,
      type: message.readUInt16BE(offset),
      klass: message.readUInt16BE(offset + 2),
      ttl,
    };
    offset += 10 + message.readUInt16BE(offset + 8);
  }
  if (offset > message.length) throw new RangeError('past the end');
  if (offset < message.length) throw new Error('bytes after its last record');
  if (last === null || last.type !== TYPE_TSIG || message.readUInt16BE(10) === 0) return null;
  if (last.klass !== CLASS_ANY || last.ttl !== 0)
    throw new Error('a TSIG record not of class ANY, TTL 0');
  return tsigFields(message, last.start);
}

function tsigFields(message: Buffer, start: number): TsigRecord {
  const keyName = names.decode(message, start);
  let at = start + names.decode.bytes + 10;
  const end = at + message.readUInt16BE(at - 2);
  const algorithm = names.decode(message, at);
  at += names.decode.bytes;
  const macSize = message.readUInt16BE(at + 8);
  const fixed = { timeSigned: message.readUIntBE(at, 6), fudge: message.readUInt16BE(at + 6) };
  const mac = message.subarray(at + 10, at + 10 + macSize);
  at += 10 + macSize;
  const originalId = message.readUInt16BE(at);
  const error = message.readUInt16BE(at + 2);
  const otherSize = message.readUInt16BE(at + 4);
  if (at + 6 + otherSize !== end) throw new Error('a TSIG record whose sizes do not add up');
  const other = message.subarray(at + 6, end);
  return { start, keyName, algorithm, ...fixed, mac, originalId, error, other };
}

function skipName(message: Buffer, offset: number): number {
  let at = offset;
  for (;;) {
    const length = message.readUInt8(at);
    if (length === 0) return at + 1;
    if ((length & 0xc0) === 0xc0) return at + 2;
    if ((length & 0xc0) !== 0) throw new Error(`a name with label type ${length >> 6}`);
    at += length + 1;
  }
}
