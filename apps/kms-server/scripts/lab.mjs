// Sets up a volume host in the lab and runs it in the foreground, printing the commands that
// activate 25 lab client machines against it. Usage (after a build):
//   node apps/kms-server/scripts/lab.mjs [LAB_DIR] [--port 1688]
// The lab's vendor (LAB_DIR/vendor/, made by `pnpm start`) certifies the host when it exists,
// so its clients trust it; otherwise a throwaway vendor is made and kept in LAB_DIR/kms-vendor.json.
// Run alone, it stands in for `slmgr /ato` on the host machine (there is no service to ask).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  catalogSkus,
  fromBase64Url,
  generateSigningKey,
  issueHostCertificate,
  mintProductKey,
  openCatalog,
  publicKeyOf,
  signCatalog,
  unwrap,
} from '@slm/core';
import { checkIdentity } from '../dist/identity.js';

const { values, positionals } = parseArgs({
  options: { port: { type: 'string', default: '1688' } },
  allowPositionals: true,
});
const lab = resolve(positionals[0] ?? 'lab');
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65_535) {
  throw new Error(`--port takes a port from 1 to 65535, not ${values.port}`);
}
const BIN = new URL('../bin/slm-kms.js', import.meta.url).pathname;
const SLMGR = new URL('../../cli/bin/slmgr.js', import.meta.url).pathname;

const vendor = labVendor(lab);
const catalog = unwrap(openCatalog(vendor.signedCatalog));
const volumeSkus = catalogSkus(catalog).filter(({ sku }) => sku.channels.includes('volume_client'));
if (volumeSkus.length === 0) throw new Error('the lab catalog has no volume client SKU');
const home = join(lab, 'kms-host');
// `pnpm start` makes the home a real host (slmgr /ilc, /ipk, /ato against the lab service):
// its identity is kept. Run alone, with no service to activate against, the home gets a store
// with the host key installed (so `slmgr /dlv` shows the host) and a certificate made here.
if (!hasWorkingIdentity(home)) {
  if (!existsSync(join(home, 'store.db'))) makeHostStore(home, vendor, catalog);
  writeIdentity(
    home,
    vendor,
    volumeSkus.map(({ sku }) => sku.activationId),
  );
}
printCommands(volumeSkus[0].sku, publicKeyOf(vendor.privateKeyPem), vendor);
const child = spawn(
  process.execPath,
  [BIN, 'run', '--home', home, '--listen', '127.0.0.1,::1', '--port', String(port)],
  { stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));

function labVendor(dir) {
  const signingKey = join(dir, 'vendor', 'vendor-signing-key.pem');
  const signed = join(dir, 'vendor', 'catalog.signed');
  if (existsSync(signingKey) && existsSync(signed)) {
    return {
      privateKeyPem: readFileSync(signingKey, 'utf8'),
      signedCatalog: readFileSync(signed, 'utf8').trim(),
      keySecret: readFileSync(join(dir, 'vendor', 'vendor-key-secret'), 'utf8').trim(),
      catalogFile: signed,
    };
  }
  const path = join(dir, 'kms-vendor.json');
  const catalogFile = join(dir, 'kms-catalog.signed');
  if (existsSync(path)) return { ...JSON.parse(readFileSync(path, 'utf8')), catalogFile };
  const keys = generateSigningKey();
  const signedCatalog = unwrap(signCatalog(labCatalog(keys.publicKey), keys.privateKeyPem));
  mkdirSync(dir, { recursive: true });
  const keySecret = Buffer.from(generateSigningKey().publicKey, 'base64url').toString('base64url');
  const saved = { privateKeyPem: keys.privateKeyPem, signedCatalog, keySecret };
  writeFileSync(path, JSON.stringify(saved), { mode: 0o600 });
  writeFileSync(catalogFile, `${signedCatalog}\n`);
  return { ...saved, catalogFile };
}

function labCatalog(publicKey) {
  const id = (n) => `5f0c1a2e-0000-4000-8000-00000000a00${n}`;
  return {
    version: 1,
    vendor: { name: 'Lab Vendor', publicKey },
    serviceUrl: 'http://127.0.0.1:8440/',
    issuedAt: new Date().toISOString(),
    products: [
      {
        productId: id(0),
        name: 'Lab Suite',
        skus: [
          { activationId: id(2), skuCode: 102, name: 'Enterprise', channels: ['volume_client'] },
          {
            activationId: id(3),
            skuCode: 103,
            name: 'Server',
            channels: ['volume_client'],
            serverClass: true,
          },
          { activationId: id(4), skuCode: 104, name: 'Volume Host', channels: ['volume_host'] },
        ],
      },
    ],
  };
}

/** Whether the home holds a host identity that slm-kms would start with. */
function hasWorkingIdentity(dir) {
  try {
    const file = JSON.parse(readFileSync(join(dir, 'private', 'volume-host.json'), 'utf8'));
    return checkIdentity(file, Date.now()).ok;
  } catch {
    return false;
  }
}

/** `slmgr /ilc` and `/ipk HOSTKEY` on the host's home, as an administrator would. */
function makeHostStore(dir, labVendorKeys, labCatalogOpened) {
  const hostSku = catalogSkus(labCatalogOpened).find(({ sku }) =>
    sku.channels.includes('volume_host'),
  );
  if (hostSku === undefined) return;
  const hostKey = mintProductKey(fromBase64Url(labVendorKeys.keySecret), {
    channel: 'volume_host',
    skuCode: hostSku.sku.skuCode,
    serial: 0,
  });
  for (const args of [
    ['/ilc', labVendorKeys.catalogFile],
    ['/ipk', hostKey],
  ]) {
    const done = spawnSync(process.execPath, [SLMGR, ...args], {
      env: { ...process.env, SLM_HOME: dir },
      encoding: 'utf8',
    });
    if (done.status !== 0) throw new Error(`slmgr ${args[0]} on ${dir} failed: ${done.stderr}`);
  }
}

/** Stands in for `slmgr /ipk HOSTKEY` + `slmgr /ato`: the vendor certifies a host key made here. */
function writeIdentity(dir, labVendorKeys, activationIds) {
  const host = generateSigningKey();
  const hostCertificate = issueHostCertificate(
    {
      hostId: 'lab-kms',
      hostPublicKey: host.publicKey,
      activationIds,
      hostKeyPartial: 'LABKM',
      issuedAt: Date.now(),
      expiresAt: null,
    },
    labVendorKeys.privateKeyPem,
  );
  mkdirSync(join(dir, 'private'), { recursive: true, mode: 0o700 });
  const identity = {
    hostPrivateKeyPem: host.privateKeyPem,
    hostCertificate,
    vendorPublicKey: publicKeyOf(labVendorKeys.privateKeyPem),
    catalog: labVendorKeys.signedCatalog,
  };
  writeFileSync(join(dir, 'private', 'volume-host.json'), JSON.stringify(identity), {
    mode: 0o600,
  });
}

function printCommands(sku, vendorKey, vendor) {
  // Volume client keys are public, one per SKU: serial 0 of the volume client channel.
  const secret = fromBase64Url(vendor.keySecret);
  const clientKey = mintProductKey(secret, {
    channel: 'volume_client',
    skuCode: sku.skuCode,
    serial: 0,
  });
  const probe = `node ${BIN} probe 127.0.0.1:${port} --vendor-key ${vendorKey} --product ${sku.activationId}`;
  const lines = [
    `volume host: 127.0.0.1:${port} (store ${home}); ${sku.name} activates at ${sku.volumeThreshold} machines`,
    '',
    '25 lab client machines, one after the other (each is a new client machine ID; watch "highest count"):',
    `  for i in $(seq 1 25); do ${probe} --client-id lab-client-$i | grep -E "highest count|outcomes"; done`,
    '',
    'or with slmgr, 25 client machines (a store each), from the repository root:',
    `  for i in $(seq 1 25); do export SLM_HOME=${lab}/clients/$i`,
    `    node apps/cli/bin/slmgr.js /ilc ${vendor.catalogFile} >/dev/null`,
    `    node apps/cli/bin/slmgr.js /ipk ${clientKey} >/dev/null`,
    `    node apps/cli/bin/slmgr.js /skms 127.0.0.1:${port} >/dev/null`,
    '    node apps/cli/bin/slmgr.js /ato; done',
    '',
    `the host's count and counters: SLM_HOME=${home} node apps/cli/bin/slmgr.js /dlv`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}
