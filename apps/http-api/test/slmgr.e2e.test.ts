// The real binaries end to end: `slm-api serve` in its own process, `slmgr` run as a process per
// command, each lab machine its own SLM_HOME.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import {
  mintProductKey,
  openCatalog,
  openHostCertificate,
  publicKeyOf,
  signCatalog,
} from '@slm/core';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Served, serve, slmApi } from './binary.js';
import type { Answer } from './harness.js';

const SLMGR = join(
  dirname(createRequire(import.meta.url).resolve('@slm/cli/package.json')),
  'bin',
  'slmgr.js',
);
const run = promisify(execFile);

let dir: string;
let vendor: string;
let token: string;
let service: Served;
let catalogFile: string;
let homes = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slmgr-e2e-'));
  vendor = join(dir, 'vendor');
  token = (await slmApi(['init', vendor])).stdout.match(/slm_at_\S+/)?.[0] ?? '';
  await slmApi(['catalog', 'publish', vendor]);
  service = await serve(vendor);
  catalogFile = await publishFor(service.url);
});

afterAll(async () => {
  await service?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function admin(path: string, method = 'GET', body?: unknown) {
  const res = await fetch(`${service.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await res.json()) as Answer;
}

// The catalog names the service's address, which is only known once it listens.
async function publishFor(serviceUrl: string): Promise<string> {
  const catalog = JSON.parse(await readFile(join(vendor, 'catalog.json'), 'utf8'));
  const { signedCatalog } = await admin('/v1/admin/catalog', 'PUT', { ...catalog, serviceUrl });
  const file = join(dir, `catalog-${++homes}.signed`);
  await writeFile(file, signedCatalog);
  return file;
}

async function mint(channel: string, activationLimit?: number): Promise<string> {
  const { keys } = await admin('/v1/admin/keys', 'POST', {
    skuCode: 101,
    channel,
    count: 1,
    activationLimit,
  });
  return keys[0];
}

interface Call {
  status: number;
  stdout: string;
  stderr: string;
}

async function slmgr(home: string, argv: string[]): Promise<Call> {
  try {
    const env = { ...process.env, SLM_HOME: home };
    const { stdout, stderr } = await run(process.execPath, [SLMGR, ...argv], {
      env,
      timeout: 30_000,
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as Call & { code: number };
    return { status: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A fresh lab machine with the vendor's catalog and the key installed. */
async function machineWith(key: string, catalog = catalogFile) {
  const home = join(dir, `pc${++homes}`);
  expect((await slmgr(home, ['/ilc', catalog])).status).toBe(0);
  expect((await slmgr(home, ['/ipk', key])).status).toBe(0);
  return { home, slmgr: (...argv: string[]) => slmgr(home, argv) };
}

function expectRefusal(call: Call, status: number, code: string, message?: string) {
  expect({ status: call.status, code: /^Error ([\w.]+):/.exec(call.stderr)?.[1] }).toEqual({
    status,
    code,
  });
  if (message !== undefined) expect(call.stderr).toContain(message);
}

async function phoneCid(installationId: string): Promise<string> {
  const res = await fetch(`${service.url}/v1/activations/phone`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ installationId }),
  });
  return ((await res.json()) as { confirmationId: string }).confirmationId;
}

async function iidOf(pc: { slmgr: (...argv: string[]) => Promise<Call> }): Promise<string> {
  return JSON.parse((await pc.slmgr('/dti', '--json')).stdout).result.installationId;
}

describe('slmgr /ato against slm-api', () => {
  it('when a retail key is activated then it is Licensed and /dlv shows the grant', async () => {
    const pc = await machineWith(await mint('retail'));
    const ato = await pc.slmgr('/ato');
    const dlv = await pc.slmgr('/dlv');

    expect(ato.stdout).toContain('Product activated successfully');
    expect(dlv.stdout).toContain('License Status: Licensed');
    expect(dlv.stdout).toContain('RETAIL channel');
    expect(dlv.stdout).toMatch(/Extended PID: 00101-RTL-\d{10}-\d{8}/);
    expect(dlv.stdout).toMatch(/Activation: online grant [0-9a-f-]{36}, activated 20\d\d-/);
  });

  it('when a Licensed MAK is activated again then nothing is used up', async () => {
    const pc = await machineWith(await mint('mak', 1));
    expect((await pc.slmgr('/ato')).status).toBe(0);
    expectRefusal(await pc.slmgr('/ato'), 5, 'activation.not_needed');
  });

  it('when a MAK has reached its limit then /ato says so', async () => {
    const key = await mint('mak', 1);
    expect((await (await machineWith(key)).slmgr('/ato')).status).toBe(0);
    const second = await (await machineWith(key)).slmgr('/ato');
    expectRefusal(second, 5, 'key.limit_reached', 'activation limit');
  });

  it('when the key is blocked then /ato says so', async () => {
    const key = await mint('retail');
    const { keys } = await admin(`/v1/admin/keys?partial=${key.slice(-5)}`);
    await admin(`/v1/admin/keys/${keys[0].id}/block`, 'PUT', { reason: 'refund' });
    expectRefusal(await (await machineWith(key)).slmgr('/ato'), 5, 'key.blocked', 'blocked');
  });

  it('when the key was not minted by the vendor then /ato says it is not genuine', async () => {
    const forged = mintProductKey(new Uint8Array(32).fill(9), {
      channel: 'retail',
      skuCode: 101,
      serial: 7,
    });
    expectRefusal(await (await machineWith(forged)).slmgr('/ato'), 6, 'key.forged');
  });

  it('when the service cannot be reached then /ato names its address and the cause', async () => {
    const port = await closedPort();
    const serviceUrl = `http://127.0.0.1:${port}/`;
    const catalog = JSON.parse(await readFile(join(vendor, 'catalog.json'), 'utf8'));
    const pem = await readFile(join(vendor, 'vendor-signing-key.pem'), 'utf8');
    const vendorKey = publicKeyOf(pem);
    const signed = signCatalog(
      { ...catalog, vendor: { ...catalog.vendor, publicKey: vendorKey }, serviceUrl },
      pem,
    );
    if (!signed.ok) throw signed.error;
    const file = join(dir, 'closed.signed');
    await writeFile(file, signed.value);

    const ato = await (await machineWith(await mint('retail'), file)).slmgr('/ato');
    expectRefusal(ato, 5, 'activation.unavailable', `${serviceUrl} refused the connection`);
  });

  it('when the stored grant is edited by hand then the product is non-genuine', async () => {
    const pc = await machineWith(await mint('retail'));
    expect((await pc.slmgr('/ato')).status).toBe(0);
    const db = new Database(join(pc.home, 'store.db'));
    const row = db.prepare('select id, state from machine_state').get() as {
      id: number;
      state: string;
    };
    const edited = row.state.replace(
      /"document":"(slm1\.grant\.)([A-Za-z0-9_-])/,
      (_match, head: string, first: string) => `"document":"${head}${first === 'e' ? 'f' : 'e'}`,
    );
    expect(edited).not.toBe(row.state);
    db.prepare('update machine_state set state = ? where id = ?').run(edited, row.id);
    db.close();

    const dli = JSON.parse((await pc.slmgr('/dli', '--json')).stdout);
    expect(dli.result.products[0].licenceStatus.state).toBe('non_genuine_grace');
  });

  it('when a volume host key is activated then the host identity is left for slm-kms', async () => {
    const pc = await machineWith(await mint('volume_host'));
    expect((await pc.slmgr('/ato')).status).toBe(0);

    const file = join(pc.home, 'private', 'volume-host.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const identity = JSON.parse(await readFile(file, 'utf8'));
    const vendorKey = (await readFile(join(vendor, 'vendor-public-key.txt'), 'utf8')).trim();
    const certificate = openHostCertificate(identity.hostCertificate, vendorKey);
    expect(certificate.ok && certificate.value.hostPublicKey).toBe(
      publicKeyOf(identity.hostPrivateKeyPem),
    );
    expect(openCatalog(identity.catalog, vendorKey).ok).toBe(true);
  });

  it('never writes a full key to the service log', async () => {
    const key = await mint('retail');
    await (await machineWith(key)).slmgr('/ato');
    expect(service.output()).toContain('"route":"/v1/activations/online"');
    expect(service.output()).not.toContain(key);
  });
});

describe('slmgr /dti and /atp with slm-api', () => {
  it('when the Confirmation ID for /dti is deposited then the product is Licensed', async () => {
    const pc = await machineWith(await mint('mak', 1));
    const atp = await pc.slmgr('/atp', await phoneCid(await iidOf(pc)));

    expect(atp.status).toBe(0);
    expect((await pc.slmgr('/dli')).stdout).toContain('License Status: Licensed');
  });

  it('when a Confirmation ID for another machine is deposited then it does not match', async () => {
    const key = await mint('retail');
    const cid = await phoneCid(await iidOf(await machineWith(key)));
    expectRefusal(await (await machineWith(key)).slmgr('/atp', cid), 6, 'cid.mismatch');
  });
});

/** A loopback port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
