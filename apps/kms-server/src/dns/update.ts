import { createHmac } from 'node:crypto';
import { createSocket } from 'node:dgram';
import * as dnsPacket from 'dns-packet';

// dns-packet encodes names and SRV data, but its type definitions leave these codecs out.
interface Codec<T> {
  encode(value: T): Buffer;
}
const codecs = dnsPacket as unknown as {
  name: Codec<string>;
  srv: Codec<{ priority: number; weight: number; port: number; target: string }>;
};

/** The SRV record a host publishes: `_vlmcs._tcp.<zone>` → priority, weight, port, its name. */
export interface SrvPublication {
  readonly zone: string;
  readonly target: string;
  readonly port: number;
  readonly priority: number;
  readonly weight: number;
  readonly ttl: number;
}

/** A TSIG key (RFC 8945), HMAC-SHA256. */
export interface TsigKey {
  readonly name: string;
  readonly secret: Buffer;
}

const TYPE = { SOA: 6, SRV: 33, TSIG: 250 } as const;
const CLASS = { IN: 1, NONE: 254, ANY: 255 } as const;
const OPCODE_UPDATE = 5 << 11;
const TSIG_ALGORITHM = 'hmac-sha256';
const TSIG_FUDGE_SECONDS = 300;

/** The SRV owner name of a zone. */
export function srvName(zone: string): string {
  return `_vlmcs._tcp.${zone.replace(/\.$/, '')}`;
}

/**
 * An RFC 2136 UPDATE for the zone: delete the record published before (when it differs), delete
 * and add this one (so a repeat changes nothing), signed with TSIG when a key is given.
 */
export function buildUpdate(
  publication: SrvPublication,
  previous: SrvPublication | null,
  id: number,
  tsig: { key: TsigKey; now: number } | null,
): Buffer {
  const updates = [
    ...(previous !== null && !same(previous, publication)
      ? [srvRecord(previous, CLASS.NONE, 0)]
      : []),
    srvRecord(publication, CLASS.NONE, 0),
    srvRecord(publication, CLASS.IN, publication.ttl),
  ];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(OPCODE_UPDATE, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(updates.length, 8);
  const zone = Buffer.concat([wireName(publication.zone), u16(TYPE.SOA), u16(CLASS.IN)]);
  const message = Buffer.concat([header, zone, ...updates]);
  return tsig === null ? message : signTsig(message, id, tsig.key, tsig.now);
}

/** The response code of a DNS answer to an update with this id, e.g. NOERROR or REFUSED. */
export function updateResponseCode(answer: Buffer, id: number): string {
  const decoded = dnsPacket.decode(answer);
  if (decoded.id !== id) return 'MISMATCHED_ID';
  return (decoded as { rcode?: string }).rcode ?? 'UNKNOWN';
}

/** Sends one update over UDP and waits for its answer. */
export function sendUpdate(
  server: { host: string; port: number },
  message: Buffer,
  timeoutMs: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(server.host.includes(':') ? 'udp6' : 'udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no answer from ${server.host}:${server.port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('message', (answer) => {
      clearTimeout(timer);
      socket.close();
      resolve(answer);
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
    socket.send(message, server.port, server.host);
  });
}

/** Reads a BIND key file: `key "name" { algorithm hmac-sha256; secret "…"; };`. */
export function parseTsigKeyFile(text: string): TsigKey | null {
  const name = /key\s+"?([^"\s{]+)"?\s*\{/.exec(text)?.[1];
  const algorithm = /algorithm\s+"?([^";\s]+)"?\s*;/.exec(text)?.[1];
  const secret = /secret\s+"([^"]+)"\s*;/.exec(text)?.[1];
  if (name === undefined || secret === undefined) return null;
  if (algorithm !== undefined && algorithm.toLowerCase() !== TSIG_ALGORITHM) return null;
  return { name, secret: Buffer.from(secret, 'base64') };
}

function srvRecord(publication: SrvPublication, klass: number, ttl: number): Buffer {
  const rdata = codecs.srv.encode({
    priority: publication.priority,
    weight: publication.weight,
    port: publication.port,
    target: publication.target,
  });
  // dns-packet's SRV encoding starts with its RDLENGTH, as a record needs.
  return Buffer.concat([
    wireName(srvName(publication.zone)),
    u16(TYPE.SRV),
    u16(klass),
    u32(ttl),
    rdata,
  ]);
}

function signTsig(message: Buffer, id: number, key: TsigKey, now: number): Buffer {
  const time = Math.floor(now / 1000);
  const keyName = wireName(key.name.toLowerCase());
  const algorithm = wireName(TSIG_ALGORITHM);
  const timeBytes = u48(time);
  const variables = Buffer.concat([
    keyName,
    u16(CLASS.ANY),
    u32(0),
    algorithm,
    timeBytes,
    u16(TSIG_FUDGE_SECONDS),
    u16(0),
    u16(0),
  ]);
  const mac = createHmac('sha256', key.secret).update(message).update(variables).digest();
  const rdata = Buffer.concat([
    algorithm,
    timeBytes,
    u16(TSIG_FUDGE_SECONDS),
    u16(mac.length),
    mac,
    u16(id),
    u16(0),
    u16(0),
  ]);
  const record = Buffer.concat([
    keyName,
    u16(TYPE.TSIG),
    u16(CLASS.ANY),
    u32(0),
    u16(rdata.length),
    rdata,
  ]);
  const signed = Buffer.concat([message, record]);
  signed.writeUInt16BE(message.readUInt16BE(10) + 1, 10);
  return signed;
}

function same(a: SrvPublication, b: SrvPublication): boolean {
  return (
    a.target === b.target &&
    a.port === b.port &&
    a.priority === b.priority &&
    a.weight === b.weight &&
    a.zone === b.zone
  );
}

function wireName(name: string): Buffer {
  return codecs.name.encode(name);
}

function u16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value);
  return buffer;
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}

function u48(value: number): Buffer {
  const buffer = Buffer.alloc(6);
  buffer.writeUIntBE(value, 0, 6);
  return buffer;
}
