import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAB_SKUS } from '@slm/conformance';
import { activateVolume } from '@slm/volume-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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

const flags = (keyFile: string) => [
  '--dns-server',
  bind.server,
  '--dns-domain',
  'lab.test',
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
      message: expect.stringMatching(/published _vlmcs._tcp.lab.test/),
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
    expect(failed.message).toMatch(/answered NOTAUTH/);
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
