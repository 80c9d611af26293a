// `/ato` with a volume host key keeps the host identity only when the service certified the host
// key this machine sent: a certificate for another key leaves a host that cannot start.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import {
  generateSigningKey,
  issueHostCertificate,
  issueMachineGrant,
  parseProductKey,
  signCatalog,
} from '@slm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, makeHome, SKU, VENDOR } from './fixtures.js';
import { expectError, slmgr } from './harness.js';

const PORT = 18931;
const NOW = Date.UTC(2025, 0, 10);

/** Whom the fake service certifies: the host key sent, or one the host no longer has. */
let certify: 'sent' | 'stale' = 'sent';
const STALE = generateSigningKey().publicKey;
let service: Server;

beforeAll(async () => {
  service = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer(JSON.parse(body))));
    });
  });
  await new Promise<void>((resolve) => service.listen(PORT, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => service.close(() => resolve())));

interface Request {
  readonly fingerprint: string;
  readonly installation: { readonly hostPublicKey: string };
}

// What an activation service answers a volume host: a machine grant and a host certificate.
function answer(request: Request) {
  const parsed = parseProductKey(KEYS.host);
  if (!parsed.ok) throw parsed.error;
  const { channel, skuCode, serial, partial } = parsed.value;
  const grant = issueMachineGrant(
    {
      type: 'online',
      grantId: 'host-activation-1',
      activationId: SKU.host,
      key: { channel, skuCode, serial, partial },
      fingerprint: request.fingerprint,
      issuedAt: NOW,
      expiresAt: null,
      extendedProductId: '00201-VLH-0000000004-20250110',
    },
    VENDOR.privateKeyPem,
  );
  const hostPublicKey = certify === 'sent' ? request.installation.hostPublicKey : STALE;
  const hostCertificate = issueHostCertificate(
    {
      hostId: 'host-activation-1',
      hostPublicKey,
      activationIds: [SKU.volume],
      hostKeyPartial: partial,
      issuedAt: NOW,
      expiresAt: null,
    },
    VENDOR.privateKeyPem,
  );
  const activation = {
    id: 'host-activation-1',
    channel,
    partialKey: partial,
    activationId: SKU.host,
    extendedProductId: '00201-VLH-0000000004-20250110',
    activatedAt: new Date(NOW).toISOString(),
    reused: certify === 'stale',
  };
  return { activated: true, grant, activation, hostCertificate };
}

/** A machine with the test catalog, served at the fake service, and the host key installed. */
async function hostMachine(): Promise<string> {
  const home = makeHome();
  writeFileSync(join(home, 'licences', 'catalog.slm'), catalogAt(`http://127.0.0.1:${PORT}/`));
  expect((await slmgr(home, ['/ipk', KEYS.host], NOW)).status).toBe(0);
  return home;
}

function catalogAt(serviceUrl: string): string {
  const signed = signCatalog(
    {
      version: 1,
      vendor: { name: 'Example Vendor', publicKey: VENDOR.publicKey },
      serviceUrl,
      issuedAt: '2025-01-01T00:00:00Z',
      products: [
        {
          productId: 'b0000000-0000-4000-8000-000000000002',
          name: 'Example Server',
          skus: [
            {
              activationId: SKU.volume,
              skuCode: 102,
              name: 'Enterprise',
              channels: ['volume_client'],
            },
            { activationId: SKU.host, skuCode: 201, name: 'Datacenter', channels: ['volume_host'] },
          ],
        },
      ],
    } as never,
    VENDOR.privateKeyPem,
  );
  if (!signed.ok) throw signed.error;
  return signed.value;
}

const identityOf = (home: string) => join(home, 'private', 'volume-host.json');

async function licenceState(home: string): Promise<string> {
  const dli = JSON.parse((await slmgr(home, ['/dli', '--json'], NOW)).stdout);
  return dli.result.products[0].licenceStatus.state;
}

describe('slmgr /ato with a volume host key', () => {
  it('when the service certifies the host key sent then the host identity is kept', async () => {
    certify = 'sent';
    const home = await hostMachine();

    const call = await slmgr(home, ['/ato'], NOW);

    expect(call.status).toBe(0);
    expect(call.stdout).toContain('Product activated successfully');
    const identity = JSON.parse(readFileSync(identityOf(home), 'utf8'));
    expect(identity.hostCertificate).toMatch(/^slm1\.host-cert\./);
  });

  it('when the service certifies another host key then /ato fails and changes nothing', async () => {
    certify = 'stale';
    const home = await hostMachine();

    const call = await slmgr(home, ['/ato'], NOW);

    expectError(call, 6, 'grant.wrong_key', 'for another host key than this machine sent');
    expect(call.stdout).not.toContain('successfully');
    expect(() => readFileSync(identityOf(home))).toThrow();
    expect(await licenceState(home)).not.toBe('licensed');
  });

  it('when a working host is answered a certificate for another key then its identity is kept', async () => {
    certify = 'sent';
    const home = await hostMachine();
    expect((await slmgr(home, ['/ato'], NOW)).status).toBe(0);
    const working = readFileSync(identityOf(home), 'utf8');
    certify = 'stale';

    const call = await slmgr(home, ['/ato'], NOW);

    expectError(call, 6, 'grant.wrong_key', 'ask the vendor to revoke');
    expect(readFileSync(identityOf(home), 'utf8')).toBe(working);
    expect(call.stderr).not.toContain(KEYS.host);
  });
});
