import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signTsig, type TsigKey } from './tsig.js';
import { buildUpdate, readAnswer, type SentUpdate } from './update.js';

const KEY: TsigKey = { name: 'kms-update', secret: randomBytes(32) };
const NOW = Date.UTC(2025, 0, 10);
const PUBLICATION = {
  zone: 'lab.test',
  target: 'kms1.lab.test',
  port: 1688,
  priority: 0,
  weight: 0,
  ttl: 3600,
};
const UNTRUSTED = 'the answer to the update of _vlmcs._tcp.lab.test cannot be trusted: ';

function sent(): SentUpdate {
  return buildUpdate(PUBLICATION, null, 0x1234, { key: KEY, now: NOW });
}

/** What a server answers to an update: its header and zone section, as a response with rcode. */
function unsigned(update: SentUpdate, rcode = 0): Buffer {
  const zoneEnd = update.message.indexOf(0, 12) + 1 + 4;
  const body = Buffer.from(update.message.subarray(0, zoneEnd));
  body.writeUInt16BE(0xa800 | rcode, 2);
  body.writeUInt16BE(0, 8);
  body.writeUInt16BE(0, 10);
  return body;
}

/** The same answer signed by a server holding `key`, over the update's MAC. */
function signed(update: SentUpdate, options: { key?: TsigKey; now?: number; rcode?: number } = {}) {
  const mac = update.tsig?.mac ?? null;
  return signTsig(unsigned(update, options.rcode), options.key ?? KEY, options.now ?? NOW, mac)
    .message;
}

describe('the TSIG of the answer to a DNS update', () => {
  it('when the server signed its answer with the key over the update MAC then it is believed', () => {
    const update = sent();
    expect(readAnswer(signed(update), update, NOW + 2_000)).toEqual({ ok: true, rcode: 'NOERROR' });
    expect(readAnswer(signed(update, { rcode: 5 }), update, NOW)).toEqual({
      ok: true,
      rcode: 'REFUSED',
    });
  });

  it('when any one byte of a signed answer is flipped then the answer is refused', () => {
    const update = sent();
    const answer = signed(update);
    const believed = [...answer.keys()].filter((at) => {
      const tampered = Buffer.from(answer);
      tampered.writeUInt8(tampered.readUInt8(at) ^ 0xff, at);
      return readAnswer(tampered, update, NOW).ok;
    });
    expect(believed).toEqual([]);
  });

  it('when a flipped byte is in the response code then the reason is that the TSIG does not verify', () => {
    const update = sent();
    const forged = signed(update, { rcode: 5 });
    forged.writeUInt8(forged.readUInt8(3) & 0xf0, 3);
    expect(readAnswer(forged, update, NOW)).toEqual({
      ok: false,
      message: `${UNTRUSTED}its TSIG does not verify with kms-update (changed on the way, or signed with another key)`,
    });
  });

  it('when the MAC comes from another key of the same name then the answer is refused', () => {
    const update = sent();
    const other = { name: KEY.name, secret: randomBytes(32) };
    expect(readAnswer(signed(update, { key: other }), update, NOW)).toMatchObject({
      ok: false,
      message: expect.stringContaining('its TSIG does not verify with kms-update'),
    });
  });

  it('when the answer is signed for another update then the answer is refused', () => {
    const update = sent();
    const another = buildUpdate(PUBLICATION, null, 0x1234, { key: KEY, now: NOW + 1_000 });
    expect(readAnswer(signed(another), update, NOW).ok).toBe(false);
  });

  it('when the answer carries no TSIG then it is refused, whatever its response code says', () => {
    const update = sent();
    expect(readAnswer(unsigned(update), update, NOW)).toEqual({
      ok: false,
      message: `${UNTRUSTED}it carries no TSIG record, though the update was signed with kms-update`,
    });
  });

  it('when the answer is signed with a key of another name then the reason names both keys', () => {
    const update = sent();
    const stranger = { name: 'someone-else', secret: KEY.secret };
    expect(readAnswer(signed(update, { key: stranger }), update, NOW)).toEqual({
      ok: false,
      message: `${UNTRUSTED}it is signed with key someone-else (hmac-sha256), not kms-update (hmac-sha256)`,
    });
  });

  it('when the answer was signed more than the fudge away from this clock then it is refused', () => {
    const update = sent();
    const late = signed(update, { now: NOW - 3_600_000 });
    expect(readAnswer(late, update, NOW)).toEqual({
      ok: false,
      message: `${UNTRUSTED}it was signed at 2025-01-09T23:00:00.000Z, 3600 s from this host's clock (fudge 300 s)`,
    });
  });

  it('when the answer has a truncated MAC then the reason says only full MACs are accepted', () => {
    const update = sent();
    const answer = signed(update);
    // The TSIG record: owner name (12 bytes for kms-update), type, class, TTL, RDLENGTH, ...
    const rdlengthAt = unsigned(update).length + 12 + 8;
    const macEnd = answer.length - 6;
    const cut = Buffer.concat([answer.subarray(0, macEnd - 16), answer.subarray(macEnd)]);
    cut.writeUInt16BE(cut.readUInt16BE(rdlengthAt) - 16, rdlengthAt);
    cut.writeUInt16BE(16, macEnd - 32 - 2);
    expect(readAnswer(cut, update, NOW)).toEqual({
      ok: false,
      message: `${UNTRUSTED}its TSIG MAC has 16 bytes; only full 32-byte hmac-sha256 MACs are accepted`,
    });
  });

  it('when the answer is cut short then it is refused as malformed', () => {
    const update = sent();
    const answer = signed(update);
    expect(readAnswer(answer.subarray(0, answer.length - 3), update, NOW)).toEqual({
      ok: false,
      message: `${UNTRUSTED}it is malformed (it ends inside a record)`,
    });
  });

  it('when no key is configured then an unsigned answer is read for its response code', () => {
    const update = buildUpdate(PUBLICATION, null, 0x1234, null);
    expect(readAnswer(unsigned(update, 9), update, NOW)).toEqual({ ok: true, rcode: 'NOTAUTH' });
  });
});
