import { readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type CatalogInput, findSkuByCode, unwrap } from '@slm/core';
import { mintBatch } from '../admin/mint.js';
import type { AppDeps } from '../http/env.js';
import { vendorPaths, writePrivateFile } from '../vendor/files.js';
import { initVendor } from '../vendor/init.js';

/** The demo keys a lab hands out. */
export interface LabKeys {
  readonly retail: string;
  readonly mak: string;
  readonly volumeHost: string;
  readonly moreRetail: readonly string[];
  readonly moreMak: readonly string[];
}

/** The port the lab's service listens on unless told otherwise. */
export const LAB_PORT = 8470;
const DEMO_SKU = 101;

/** The port the lab's service is to listen on, and whether the user asked for it. */
export interface LabPort {
  readonly port: number;
  /** A port asked for is used or refused; the default one gives way to a free port. */
  readonly asked: boolean;
}

/**
 * Creates the lab's vendor on first use; returns where it is and the port to serve on: `port`
 * when it is free; else any free port, unless the port was asked for.
 */
export async function prepareLab(
  dir: string,
  { port, asked }: LabPort,
  say: (text: string) => void,
) {
  const vendorDir = join(dir, 'vendor');
  if (!(await exists(vendorPaths(vendorDir).config))) {
    say(`creating a demo vendor in ${vendorDir}\n`);
    const created = await initVendor(vendorDir, {
      name: 'Lab Vendor',
      host: '127.0.0.1',
      port,
    });
    await writePrivateFile(join(dir, 'admin-token'), `${created.adminToken}\n`);
  }
  if (port === 0 || (await isFree(port))) return { vendorDir, port };
  if (asked) throw new Error(`port ${port} is taken: stop what listens there or ask for another`);
  say(`port ${port} is taken; using a free port\n`);
  return { vendorDir, port: 0 };
}

/** Publishes the catalog for the service's URL when it changed, and mints demo keys once. */
export async function stockLab(dir: string, url: string, deps: AppDeps): Promise<LabKeys> {
  const paths = vendorPaths(join(dir, 'vendor'));
  if (deps.catalogs.current?.catalog.serviceUrl !== url) {
    const input = JSON.parse(await readFile(paths.catalog, 'utf8')) as CatalogInput;
    const published = await deps.catalogs.publish(
      deps.vdb.db,
      { ...input, serviceUrl: url },
      deps.secrets.privateKeyPem,
      deps.now(),
    );
    await writeFile(paths.signedCatalog, `${unwrap(published).signed}\n`);
  }
  const keysFile = join(dir, 'keys.json');
  if (await exists(keysFile)) return JSON.parse(await readFile(keysFile, 'utf8')) as LabKeys;
  const keys = await mintDemoKeys(deps);
  await writePrivateFile(keysFile, `${JSON.stringify(keys, null, 2)}\n`);
  return keys;
}

async function mintDemoKeys(deps: AppDeps): Promise<LabKeys> {
  const catalog = deps.catalogs.current?.catalog;
  const found = catalog === undefined ? null : findSkuByCode(catalog, DEMO_SKU);
  if (found === null) throw new Error(`the lab catalog has no SKU ${DEMO_SKU}`);
  const mint = async (channel: 'retail' | 'mak' | 'volume_host', count: number) => {
    const order = { sku: found.sku, channel, count };
    return unwrap(await mintBatch(deps.vdb, deps.secrets.keySecret, order, deps.now())).keys;
  };
  const [retail, ...moreRetail] = await mint('retail', 3);
  const [mak, ...moreMak] = await mint('mak', 3);
  const [volumeHost] = await mint('volume_host', 1);
  if (retail === undefined || mak === undefined || volumeHost === undefined) {
    throw new Error('minting the demo keys failed');
  }
  return { retail, mak, volumeHost, moreRetail, moreMak };
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
