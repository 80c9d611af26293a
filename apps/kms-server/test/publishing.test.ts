import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAB_SKUS } from '@slm/conformance';
import { activateVolume } from '@slm/volume-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildUpdate, parseTsigKeyFile, readAnswer, sendUpdate } from '../src/dns/update.js';
import { type HostProcess, makeHome, startBinary, writeHostSettings } from './binary.js';
import { type Bind, startBind } from './bind.js';

let bind: Bind;
let host: HostProcess | null = null;
beforeAll(async () => {
  bind = await startBind({ updates: true, records: ['kms1 IN A 127.0.0.1'] });
}, 30_000);
afterAll(async () => bind?.stop());
afterEach(async () => {
  await host?.stop();
  host = null;
});

const flags = (keyFile: string, server = bind.server, domain = 'lab.test') => [
  '--dns-server',
  server,
  '--dns-domain',
  domain,
  '--dns-name',
  'kms1.lab.test',
  '--dns-priority',
  '5',
  '--dns-weight',
  '50',
  '--tsig-key',
  keyFile,
];

describe('publishing the host in DNS', () => {
  it('when publishing is on then the host registers its SRV record and clients find it', async () => {
    const { home, vendor } = makeHome();
    host = await startBinary(home, flags(bind.keyFile));
    await host.waitFor('dns published');
    expect(await bind.srv()).toEqual([
      { name: 'kms1.lab.test', port: host.port, priority: 5, weight: 50 },
    ]);
    const status = JSON.parse(readFileSync(join(home, 'volume-host', 'status.json'), 'utf8'));
    expect(status.dns).toMatchObject({
      ok: true,
      message: `published _vlmcs._tcp.lab.test → kms1.lab.test:${host.port} at ${bind.server}; the answer's TSIG (kms-update) verified`,
    });
    const found = await activateVolume({
      activationId: LAB_SKUS.volume.activationId,
      clientMachineId: 'published-client',
      workstation: 'e'.repeat(32),
      licenceState: 2,
      threshold: 25,
      vendorKey: vendor.keys.publicKey,
      now: Date.now(),
      settings: { machine: { host: null, port: null, domain: 'lab.test' } },
      hostCaching: false,
      cachedHost: null,
      dns: { servers: [bind.server] },
    });
    expect(found.attempts).toEqual([
      expect.objectContaining({
        host: `kms1.lab.test:${host.port}`,
        cause: 'below_threshold',
        count: 1,
      }),
    ]);
  });

  it('when the TSIG key is wrong then the failure is logged and shown in the status', async () => {
    const { home } = makeHome();
    const wrongKey = join(home, 'wrong.key');
    writeFileSync(
      wrongKey,
      readFileSync(bind.keyFile, 'utf8').replace(
        /secret "[^"]+"/,
        `secret "${Buffer.alloc(32, 7).toString('base64')}"`,
      ),
    );
    host = await startBinary(home, flags(wrongKey));
    const failed = await host.waitFor('dns publishing failed');
    expect(failed.message).toBe(
      "the DNS server answered NOTAUTH to the update of _vlmcs._tcp.lab.test: TSIG BADSIG: it did not accept the update's signature (is kms-update the server's key?)",
    );
    const status = JSON.parse(readFileSync(join(home, 'volume-host', 'status.json'), 'utf8'));
    expect(status.dns).toMatchObject({ ok: false });
  });

  it('when publishing is off (/cdns) then nothing is sent', async () => {
    const { home } = makeHome();
    writeHostSettings(home, { dnsPublishing: false });
    host = await startBinary(home, flags(bind.keyFile));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(host.lines.filter((line) => String(line.msg).startsWith('dns'))).toEqual([]);
  });
});

/** A UDP DNS server on loopback that answers each message with what `answer` makes of it. */
async function responder(answer: (query: Buffer) => Promise<Buffer> | Buffer) {
  const socket = createSocket('udp4');
  socket.on('message', async (query, from) => {
    socket.send(await answer(query), from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { server: `127.0.0.1:${socket.address().port}`, close: () => socket.close() };
}

/** The answer a server gives an update without signing it: header and zone section, NOERROR. */
function unsignedNoError(update: Buffer): Buffer {
  const zoneEnd = update.indexOf(0, 12) + 1 + 4;
  const answer = Buffer.from(update.subarray(0, zoneEnd));
  answer.writeUInt16BE(0xa800, 2);
  answer.writeUInt16BE(0, 8);
  answer.writeUInt16BE(0, 10);
  return answer;
}

function dnsStatus(home: string): { ok: boolean; message: string } {
  return JSON.parse(readFileSync(join(home, 'volume-host', 'status.json'), 'utf8')).dns;
}

describe('the TSIG of the DNS server answer', () => {
  const publication = {
    zone: 'lab.test',
    target: 'kms1.lab.test',
    port: 1688,
    priority: 0,
    weight: 0,
    ttl: 60,
  };

  it('when BIND answers an update signed with its key then the answer verifies, and no flipped byte or other key does', async () => {
    const key = parseTsigKeyFile(readFileSync(bind.keyFile, 'utf8'))!;
    const sent = buildUpdate(publication, null, 0x5151, { key, now: Date.now() });
    const answer = await sendUpdate({ host: '127.0.0.1', port: bind.port }, sent.message, 3_000);
    expect(readAnswer(answer, sent, Date.now())).toEqual({ ok: true, rcode: 'NOERROR' });

    const believed = [...answer.keys()].filter((at) => {
      const tampered = Buffer.from(answer);
      tampered.writeUInt8(tampered.readUInt8(at) ^ 0x01, at);
      return readAnswer(tampered, sent, Date.now()).ok;
    });
    expect(believed).toEqual([]);
    const otherKey = { key: { name: key.name, secret: randomBytes(32) }, mac: sent.tsig!.mac };
    expect(readAnswer(answer, { ...sent, tsig: otherKey }, Date.now())).toEqual({
      ok: false,
      message:
        'the answer to the update of _vlmcs._tcp.lab.test cannot be trusted: its TSIG does not verify with kms-update (changed on the way, or signed with another key)',
    });
  });

  it('when nothing listens at the DNS server then the failure names the server', async () => {
    const dns = await responder((query) => query);
    const closed = dns.server;
    dns.close();
    const { home } = makeHome();
    host = await startBinary(home, flags(bind.keyFile, closed));
    const failed = await host.waitFor('dns publishing failed');
    expect(failed.message).toMatch(new RegExp(`^the DNS server ${closed}: .*ECONNREFUSED`));
  });

  it('when the answer to a signed update carries no TSIG then publishing fails, logged and in the status', async () => {
    const dns = await responder(unsignedNoError);
    try {
      const { home } = makeHome();
      host = await startBinary(home, flags(bind.keyFile, dns.server));
      const failed = await host.waitFor('dns publishing failed');
      const reason =
        'the answer to the update of _vlmcs._tcp.lab.test cannot be trusted: it carries no TSIG record, though the update was signed with kms-update';
      expect(failed).toMatchObject({ level: 'warn', message: reason });
      expect(dnsStatus(home)).toMatchObject({ ok: false, message: reason });
      expect(host.lines.filter((line) => line.msg === 'dns published')).toEqual([]);
    } finally {
      dns.close();
    }
  });

  it('when something on the path turns the server NOTAUTH into NOERROR then the host does not believe it', async () => {
    // BIND is not authoritative for other.test: it answers NOTAUTH, signed; the proxy clears the rcode.
    const forging = await responder(async (query) => {
      const answer = await sendUpdate({ host: '127.0.0.1', port: bind.port }, query, 3_000);
      answer.writeUInt8(answer.readUInt8(3) & 0xf0, 3);
      return answer;
    });
    try {
      const { home } = makeHome();
      host = await startBinary(home, flags(bind.keyFile, forging.server, 'other.test'));
      const failed = await host.waitFor('dns publishing failed');
      expect(failed.message).toBe(
        'the answer to the update of _vlmcs._tcp.other.test cannot be trusted: its TSIG does not verify with kms-update (changed on the way, or signed with another key)',
      );
      expect(dnsStatus(home).ok).toBe(false);
    } finally {
      forging.close();
    }
  });
});
