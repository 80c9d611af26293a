// slmgr finding volume hosts through a real BIND: SRV records `_vlmcs._tcp.<domain>` naming a
// stopped slm-kms at the lowest priority and a live one next; SLM_DNS_SERVER points at BIND.
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemSearchList } from '@slm/volume-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// One BIND harness for both packages' tests.
import { type Bind, startBind } from '../../kms-server/test/bind.js';
import {
  certifyHost,
  expectOk,
  type HostProcess,
  local,
  scratch,
  slmgrProcess,
  startVolumeHost,
  VOLUME_KEYS,
  volumeClient,
  volumeHome,
} from './volume-fixtures.js';

/** A server edition machine (threshold 5) that finds hosts in this /skms-domain. */
const clientMachine = (parent: string, machine: string, where: string) =>
  volumeClient(parent, machine, VOLUME_KEYS.server, ['/skms-domain', where]);

// The machine's own DNS domain when it has one, so /ckms-domain can be shown finding hosts there.
const SEARCH_LIST = systemSearchList();
const ZONE = SEARCH_LIST[0] ?? 'corp.test';

/** A volume host home with the host key and a certified identity; `/cdns` unless it publishes. */
async function hostHome(parent: string, name: string, publishing = false): Promise<string> {
  const home = volumeHome(parent, name);
  expectOk(await local(home, ['/ipk', VOLUME_KEYS.host]));
  if (!publishing) expectOk(await local(home, ['/cdns']));
  certifyHost(home);
  return home;
}

describe('slmgr discovering volume hosts through DNS SRV records in a real BIND', () => {
  const folder = scratch();
  let live: HostProcess;
  let deadHost: string;
  let liveHost: string;
  let bind: Bind;
  let dns: Record<string, string>;

  beforeAll(async () => {
    live = await startVolumeHost(await hostHome(folder.dir, 'live-host'));
    const stopped = await startVolumeHost(await hostHome(folder.dir, 'stopped-host'));
    await stopped.stop();
    deadHost = `kms-a.${ZONE}:${stopped.port}`;
    liveHost = `kms-b.${ZONE}:${live.port}`;
    bind = await startBind({
      zone: ZONE,
      records: [
        'kms-a IN A 127.0.0.1',
        'kms-b IN A 127.0.0.1',
        `_vlmcs._tcp IN SRV 0 0 ${stopped.port} kms-a.${ZONE}.`,
        `_vlmcs._tcp IN SRV 10 0 ${live.port} kms-b.${ZONE}.`,
      ],
    });
    dns = { SLM_DNS_SERVER: bind.server };
  }, 30_000);

  afterAll(async () => {
    await live?.stop();
    await bind?.stop();
    folder.remove();
  });

  it('when /skms-domain names the domain then the stopped host is tried first, and its cause shown when the next one activates', async () => {
    const machines = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => clientMachine(folder.dir, `pc-${n}`, ZONE)),
    );
    const refused = await Promise.all(
      machines.slice(0, 4).map((home) => slmgrProcess(home, ['/ato'], dns)),
    );
    const counts = refused.map((call) => {
      expect(call.status).toBe(5);
      const dead = call.stderr.indexOf(`\n    ${deadHost}: refused the connection (`);
      const below = /\n {4}(\S+): count below threshold \((\d) of 5\)/.exec(call.stderr);
      expect(dead).toBeGreaterThan(0);
      expect(below?.[1]).toBe(liveHost);
      expect(below?.index).toBeGreaterThan(dead);
      return Number(below?.[2]);
    });
    expect(counts.sort()).toEqual([1, 2, 3, 4]);

    const fifth = machines[4] ?? '';
    const activated = await slmgrProcess(fifth, ['/ato'], dns);
    expectOk(activated);
    expect(activated.stdout).toContain(`Volume host ${deadHost}: refused the connection (`);
    expect(activated.stdout).toContain(
      `Product activated successfully by volume host ${liveHost}.`,
    );
    const dli = await slmgrProcess(fifth, ['/dli']);
    expect(dli.stdout).toContain('License Status: Licensed');
    expect(dli.stdout).toContain('Registered volume host: none: found through DNS');
    expect(dli.stdout).toContain(`Volume host DNS domain: ${ZONE}`);
  });

  it('when /skms-domain names a domain without SRV records then /ato says which name had none', async () => {
    const home = await clientMachine(folder.dir, 'empty-domain', `empty.${ZONE}`);
    const refused = await slmgrProcess(home, ['/ato'], dns);
    expect(refused.status).toBe(5);
    expect(refused.stderr).toContain(
      `\n    _vlmcs._tcp.empty.${ZONE}: name did not resolve (no SRV records named _vlmcs._tcp.empty.${ZONE})`,
    );
  });

  it('when /ckms-domain cleared the domain then the hosts are found in the DNS search list', async () => {
    const home = await clientMachine(folder.dir, 'search-list', `empty.${ZONE}`);
    expectOk(await local(home, ['/ckms-domain']));
    const search = { ...dns, SLM_DNS_SEARCH: `nothing.${ZONE}, ${ZONE}` };
    const tried = await slmgrProcess(home, ['/ato', '--json'], search);
    expect(JSON.parse(tried.stdout)).toMatchObject({
      ok: true,
      result: {
        volumeHost: liveHost,
        attempts: [
          { host: `_vlmcs._tcp.nothing.${ZONE}`, cause: 'dns' },
          { host: deadHost, cause: 'refused' },
        ],
      },
    });
  });

  it.runIf(SEARCH_LIST.length === 0)(
    'when /ckms-domain cleared the domain on a machine without a DNS domain then /ato says to pin a host or name a domain',
    async () => {
      const home = await clientMachine(folder.dir, 'no-search-list', ZONE);
      expectOk(await local(home, ['/ckms-domain']));
      const refused = await slmgrProcess(home, ['/ato'], dns);
      expect(refused.status).toBe(5);
      expect(refused.stderr).toContain(
        'no host is pinned and this machine has no DNS domain to search: use slmgr /skms or /skms-domain',
      );
    },
  );
});

/** A DNS server on loopback that answers every update NOERROR, unsigned. */
async function unsignedDns() {
  const socket = createSocket('udp4');
  socket.on('message', (update, from) => {
    const answer = Buffer.from(update.subarray(0, update.indexOf(0, 12) + 1 + 4));
    answer.writeUInt16BE(0xa800, 2);
    answer.writeUInt16BE(0, 8);
    answer.writeUInt16BE(0, 10);
    socket.send(answer, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { server: `127.0.0.1:${socket.address().port}`, close: () => socket.close() };
}

async function dnsStatusWritten(home: string): Promise<void> {
  const path = join(home, 'volume-host', 'status.json');
  for (let tries = 0; tries < 50; tries++) {
    if (existsSync(path) && JSON.parse(readFileSync(path, 'utf8')).dns !== null) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${path} never showed a DNS publishing result`);
}

describe('a volume host publishing itself with TSIG, as /dlv shows it', () => {
  const folder = scratch();
  afterAll(() => folder.remove());

  it('when the answer to its signed update is not signed then /dlv shows publishing failed and why', async () => {
    const fake = await unsignedDns();
    const home = await hostHome(folder.dir, 'publishing-host', true);
    const keyFile = join(folder.dir, 'kms-update.key');
    const secret = randomBytes(32).toString('base64');
    writeFileSync(keyFile, `key "kms-update" { algorithm hmac-sha256; secret "${secret}"; };\n`);
    const args = ['--dns-server', fake.server, '--dns-domain', 'corp.test'];
    const host = await startVolumeHost(home, [...args, '--tsig-key', keyFile]);
    try {
      await dnsStatusWritten(home);
      const dlv = await local(home, ['/dlv']);
      expect(dlv.stdout).toMatch(
        /DNS publishing: enabled \(last failed at \S+: the answer to the update of _vlmcs\._tcp\.corp\.test cannot be trusted: it carries no TSIG record, though the update was signed with kms-update\)/,
      );
    } finally {
      await host.stop();
      fake.close();
    }
  });
});
