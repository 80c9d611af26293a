import { writeFile } from 'node:fs/promises';
import type { CatalogInput } from '@slm/core';
import { Command } from 'commander';
import { openVendor } from '../service.js';
import { readVendorJson } from '../vendor/files.js';
import type { CliIo } from './io.js';

/** `slm-api catalog publish DIR`: signs catalog.json and publishes it. */
export function catalogCommand(io: CliIo): Command {
  const catalog = new Command('catalog').description('the product catalog');
  catalog
    .command('publish')
    .description('sign catalog.json with the vendor key and publish it as the next version')
    .argument('<dir>', 'the vendor directory')
    .action(async (dir: string) => {
      const published = await publishCatalogFile(dir, io);
      io.out(`catalog version ${published.version} published; signed copy in ${published.file}\n`);
    });
  return catalog;
}

/** Publishes DIR/catalog.json and writes the signed copy to DIR/catalog.signed. */
export async function publishCatalogFile(dir: string, io: CliIo) {
  const { paths, deps } = await openVendor(dir, (line) => io.err(`${line}\n`));
  try {
    const input = (await readVendorJson(paths.catalog)) as CatalogInput;
    const withKey = { ...input, vendor: { ...input.vendor, publicKey: deps.secrets.publicKey } };
    const result = await deps.catalogs.publish(
      deps.vdb.db,
      withKey,
      deps.secrets.privateKeyPem,
      Date.now(),
    );
    if (!result.ok) throw result.error;
    await writeFile(paths.signedCatalog, `${result.value.signed}\n`);
    return { version: result.value.version, file: paths.signedCatalog, catalog: result.value };
  } finally {
    await deps.vdb.close();
  }
}
