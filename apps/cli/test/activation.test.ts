import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CatalogInput,
  findSkuByCode,
  mintProductKey,
  openCatalog,
  openHostCertificate,
  publicKeyOf,
  signCatalog,
  unwrap,
} from '@slm/core';
import { initVendor, mintBatch, type RunningService, startService } from '@slm/http-api';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-status.js';
import { expectError, slmgr } from './harness.js';

let dir: string;
let service: RunningService;
let token: string;
let catalogFile: string;
let homes = 0;

const now = () => Date.now();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slmgr-activation-'));
  const vendor = join(dir, 'vendor');
  token = (await initVendor(vendor, { name: 'Test Vendor', host: '127.0.0.1', port: 0 }))
    .adminToken;
  service = await startService(vendor, { port: 0, log: () => undefined });
  const input = JSON.parse(await readFile(join(vendor, 'catalog.json'), 'utf8')) as CatalogInput;
  const deps = service.deps;
  const published = await deps.catalogs.publish(
    deps.vdb.db,
    { ...input, serviceUrl: service.url },
    deps.secrets.privateKeyPem,
    Date.now(),
  );
  catalogFile = join(dir, 'catalog.signed');
  await writeFile(catalogFile, unwrap(published).signed);
});

afterAll(async () => {
  await service?.close();
  await rm(dir, { recursive: true, force: true });
});

async function mint(
  channel: 'retail' | 'mak' | 'volume_host',
  activationLimit?: number,
): Promise<string> {
  const { deps } = service;
  const sku = findSkuByCode(deps.catalogs.current!.catalog, 101)!.sku;
  const order = { sku, channel, count: 1, activationLimit };
  const batch = unwrap(await mintBatch(deps.vdb, deps.secrets.keySecret, order, Date.now()));
  return batch.keys[0]!;
}

/** A fresh machine with the vendor's catalog and the key installed. */
async function machineWith(key: string, catalog = catalogFile): Promise<string> {
  const home = join(dir, `pc${++homes}`);
  expect((await slmgr(home, ['/ilc', catalog], now())).status).toBe(0);
  expect((await slmgr(home, ['/ipk', key], now())).status).toBe(0);
  return home;
}

/** A loopback port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function phoneCid(installationId: string): Promise<string> {
  const res = await fetch(`${service.url}/v1/activations/phone`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ installationId }),
  });
  const answer = (await res.json()) as { activated: boolean; confirmationId: string };
  expect(answer.activated).toBe(true);
  return answer.confirmationId;
}

async function iidOf(home: string): Promise<string> {
  const call = await slmgr(home, ['/dti', '--json'], now());
  return JSON.parse(call.stdout).result.installationId;
}

describe('slmgr /ato against the activation service', () => {
  it('when a retail key is activated then the product is Licensed and /dlv shows the grant', async () => {
    const home = await machineWith(await mint('retail'));
    const ato = await slmgr(home, ['/ato'], now());
    const dlv = await slmgr(home, ['/dlv'], now());

    expect(ato.status).toBe(0);
    expect(ato.stdout).toContain('Product activated successfully');
    expect(dlv.stdout).toContain('Licensed');
    expect(dlv.stdout).toMatch(/Extended PID: 00101-RTL-\d{10}-\d{8}/);
    expect(dlv.stdout).toMatch(/Activation: online grant [0-9a-f-]{36}, activated 20/);
  });

  it('when a MAK is activated again on a Licensed machine then nothing is used up', async () => {
    const home = await machineWith(await mint('mak', 1));
    expect((await slmgr(home, ['/ato'], now())).status).toBe(0);
    expectError(await slmgr(home, ['/ato'], now()), EXIT.refused, 'activation.not_needed');
  });

  it('when a MAK has reached its limit then /ato says so', async () => {
    const key = await mint('mak', 1);
    expect((await slmgr(await machineWith(key), ['/ato'], now())).status).toBe(0);
    const second = await slmgr(await machineWith(key), ['/ato'], now());
    expectError(second, EXIT.refused, 'key.limit_reached', 'activation limit');
  });

  it('when the key is blocked then /ato says so', async () => {
    const key = await mint('retail');
    const listed = await fetch(`${service.url}/v1/admin/keys?partial=${key.slice(-5)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { keys } = (await listed.json()) as { keys: { id: number }[] };
    await fetch(`${service.url}/v1/admin/keys/${keys[0]!.id}/block`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'refunded' }),
    });
    const ato = await slmgr(await machineWith(key), ['/ato'], now());
    expectError(ato, EXIT.refused, 'key.blocked', 'blocked');
  });

  it('when the key was not minted by the vendor then /ato says it is not genuine', async () => {
    const forged = mintProductKey(new Uint8Array(32).fill(9), {
      channel: 'retail',
      skuCode: 101,
      serial: 77,
    });
    const ato = await slmgr(await machineWith(forged), ['/ato'], now());
    expectError(ato, EXIT.verification, 'key.forged');
  });

  it('when the service cannot be reached then /ato names the address and the cause', async () => {
    const { deps } = service;
    const input = JSON.parse(JSON.stringify(deps.catalogs.current!.catalog)) as CatalogInput;
    const port = await closedPort();
    const serviceUrl = `http://127.0.0.1:${port}/`;
    const closed = signCatalog({ ...input, serviceUrl }, deps.secrets.privateKeyPem);
    const file = join(dir, 'closed.signed');
    await writeFile(file, unwrap(closed));
    const ato = await slmgr(await machineWith(await mint('retail'), file), ['/ato'], now());
    expectError(
      ato,
      EXIT.refused,
      'activation.unavailable',
      `${serviceUrl} refused the connection`,
    );
  });

  it('when a volume host key is activated then the host identity is left for the volume host', async () => {
    const home = await machineWith(await mint('volume_host'));
    const ato = await slmgr(home, ['/ato'], now());
    expect(ato.status).toBe(0);

    const file = join(home, 'private', 'volume-host.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const identity = JSON.parse(await readFile(file, 'utf8'));
    const vendorKey = service.deps.secrets.publicKey;
    const certificate = unwrap(openHostCertificate(identity.hostCertificate, vendorKey));
    expect(certificate.hostPublicKey).toBe(publicKeyOf(identity.hostPrivateKeyPem));
    expect(identity.vendorPublicKey).toBe(vendorKey);
    expect(openCatalog(identity.catalog, vendorKey).ok).toBe(true);
    expect(ato.stdout).not.toContain('PRIVATE KEY');
  });

  it('when the stored grant is edited by hand then the product is non-genuine', async () => {
    const home = await machineWith(await mint('retail'));
    expect((await slmgr(home, ['/ato'], now())).status).toBe(0);
    const db = new Database(join(home, 'store.db'));
    const row = db.prepare('select id, state from machine_state').get() as {
      id: number;
      state: string;
    };
    const edited = row.state.replace(
      /"document":"(slm1\.grant\.)([A-Za-z0-9_-])/,
      (_m, head, c) => `"document":"${head}${c === 'e' ? 'f' : 'e'}`,
    );
    expect(edited).not.toBe(row.state);
    db.prepare('update machine_state set state = ? where id = ?').run(edited, row.id);
    db.close();

    const dli = await slmgr(home, ['/dli', '--json'], now());
    expect(JSON.parse(dli.stdout).result.products[0].licenceStatus.state).toBe('non_genuine_grace');
  });
});

describe('slmgr /dti and /atp with the activation service', () => {
  it('when the Confirmation ID for this Installation ID is deposited then it is Licensed', async () => {
    const home = await machineWith(await mint('retail'));
    const cid = await phoneCid(await iidOf(home));
    const atp = await slmgr(home, ['/atp', cid], now());
    const dli = await slmgr(home, ['/dli'], now());

    expect(atp.status).toBe(0);
    expect(dli.stdout).toContain('Licensed');
  });

  it('when a Confirmation ID for another machine is deposited then it does not match', async () => {
    const key = await mint('retail');
    const cid = await phoneCid(await iidOf(await machineWith(key)));
    const atp = await slmgr(await machineWith(key), ['/atp', cid], now());
    expectError(atp, EXIT.verification, 'cid.mismatch');
  });
});
