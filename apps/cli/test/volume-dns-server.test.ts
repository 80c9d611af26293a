// A DNS server in $SLM_DNS_SERVER that refuses or does not answer is named as the cause: the name
// it was asked about may well exist, so "name did not resolve" would send the administrator to
// the wrong place.
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import {
  expectOk,
  local,
  scratch,
  slmgrProcess,
  VOLUME_KEYS,
  volumeHome,
} from './volume-fixtures.js';

/** A loopback UDP port with no socket on it: queries sent there are refused (ICMP). */
async function closedUdpPort(): Promise<number> {
  const socket = await boundUdp();
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** A loopback UDP socket that reads queries and never answers. */
function boundUdp(): Promise<Socket> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket)));
}

/** A volume client machine that finds hosts by SRV in corp.test, or pinned to a host name. */
async function client(parent: string, name: string, findHosts: [string, string]) {
  const home = volumeHome(parent, name);
  expectOk(await local(home, ['/ipk', VOLUME_KEYS.server]));
  expectOk(await local(home, findHosts));
  return home;
}

describe('volume activation when the DNS server cannot be asked', () => {
  const folder = scratch();
  afterAll(() => folder.remove());

  it('when SLM_DNS_SERVER is a closed port then /ato says that DNS server refused the query, not that the name did not resolve', async () => {
    const home = await client(folder.dir, 'refused', ['/skms-domain', 'corp.test']);
    const server = `127.0.0.1:${await closedUdpPort()}`;

    const refused = await slmgrProcess(home, ['/ato'], { SLM_DNS_SERVER: server });

    expect(refused.status).toBe(5);
    expect(refused.stderr).toContain(
      `\n    _vlmcs._tcp.corp.test: the DNS server ${server} refused the query (ECONNREFUSED)`,
    );
    expect(refused.stderr).not.toContain('did not resolve');
    const json = await slmgrProcess(home, ['/ato', '--json'], { SLM_DNS_SERVER: server });
    expect(JSON.parse(json.stdout).error.details.attempts).toEqual([
      expect.objectContaining({ host: '_vlmcs._tcp.corp.test', cause: 'dns_server' }),
    ]);
  });

  it('when the pinned host is a name and the DNS server refuses then /ato names the DNS server', async () => {
    const home = await client(folder.dir, 'pinned-name', ['/skms', 'kms.corp.test:1688']);
    const server = `127.0.0.1:${await closedUdpPort()}`;

    const refused = await slmgrProcess(home, ['/ato'], { SLM_DNS_SERVER: server });

    expect(refused.stderr).toContain(
      `\n    kms.corp.test:1688: the DNS server ${server} refused the query (ECONNREFUSED)`,
    );
  });

  it('when SLM_DNS_SERVER never answers then /ato says that DNS server did not answer', async () => {
    const home = await client(folder.dir, 'silent', ['/skms-domain', 'corp.test']);
    const silent = await boundUdp();
    const server = `127.0.0.1:${silent.address().port}`;

    const timedOut = await slmgrProcess(home, ['/ato'], { SLM_DNS_SERVER: server });
    silent.close();

    expect(timedOut.stderr).toContain(
      `\n    _vlmcs._tcp.corp.test: the DNS server ${server} did not answer (ETIMEOUT)`,
    );
  }, 30_000);
});
