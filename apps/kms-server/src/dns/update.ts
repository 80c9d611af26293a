import { createSocket } from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import { signTsig, TSIG_ALGORITHM, type TsigKey, verifyTsig } from './tsig.js';
import { codecs, u16, u32 } from './wire.js';

/** The SRV record a host publishes: `_vlmcs._tcp.<zone>` → priority, weight, port, its name. */
export interface SrvPublication {
  readonly zone: string;
  readonly target: string;
  readonly port: number;
  readonly priority: number;
  readonly weight: number;
  readonly ttl: number;
}

/** An update as sent: its id, and the key and MAC its answer must be signed with. */
export interface SentUpdate {
  readonly message: Buffer;
  readonly id: number;
  readonly zone: string;
  readonly tsig: { readonly key: TsigKey; readonly mac: Buffer } | null;
}

/** What the server answered, once the answer is trusted; else why it failed, in words. */
export type UpdateAnswer = { ok: true; rcode: string } | { ok: false; message: string };

const TYPE = { SOA: 6, SRV: 33 } as const;
const CLASS = { IN: 1, NONE: 254, ANY: 255 } as const;
const OPCODE_UPDATE = 5 << 11;

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
): SentUpdate {
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
  const { zone: zoneName } = publication;
  if (tsig === null) return { message, id, zone: zoneName, tsig: null };
  const signed = signTsig(message, tsig.key, tsig.now);
  return { message: signed.message, id, zone: zoneName, tsig: { key: tsig.key, mac: signed.mac } };
}

/**
 * Reads the answer to an update: with a key, only an answer whose TSIG verifies is believed
 * (an unsigned NOERROR could come from anyone on the path); then its response code.
 */
export function readAnswer(answer: Buffer, sent: SentUpdate, now: number): UpdateAnswer {
  const update = `the update of ${srvName(sent.zone)}`;
  if (answer.length < 12 || answer.readUInt16BE(0) !== sent.id) {
    return { ok: false, message: `the DNS server's answer to ${update} is not for it (wrong id)` };
  }
  const rcode = rcodeOf(answer);
  if (sent.tsig === null) return { ok: true, rcode };
  const verdict = verifyTsig(answer, sent.tsig, now);
  if (verdict.ok) return { ok: true, rcode };
  if (verdict.serverError) {
    return {
      ok: false,
      message: `the DNS server answered ${rcode} to ${update}: ${verdict.reason}`,
    };
  }
  return { ok: false, message: `the answer to ${update} cannot be trusted: ${verdict.reason}` };
}

function rcodeOf(answer: Buffer): string {
  try {
    return (dnsPacket.decode(answer) as { rcode?: string }).rcode ?? 'UNKNOWN';
  } catch {
    return `rcode ${answer.readUInt8(3) & 0x0f}`;
  }
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
    // A connected UDP socket takes datagrams only from the server's address and port, so an
    // answer forged from elsewhere never reaches us (updates without TSIG have nothing else).
    socket.connect(server.port, server.host, () => socket.send(message));
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
