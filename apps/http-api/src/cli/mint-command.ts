import { writeFile } from 'node:fs/promises';
import { CHANNELS, findSkuByCode, SlmError } from '@slm/core';
import { Command, Option } from 'commander';
import { mintBatch } from '../admin/mint.js';
import { openVendor } from '../service.js';
import type { CliIo } from './io.js';
import { progressBar } from './progress.js';

interface MintFlags {
  sku: number;
  channel: (typeof CHANNELS)[number];
  count: number;
  limit?: number;
  out?: string;
}

/** `slm-api keys mint DIR`: mints a batch with a progress bar; keys go to stdout or a file. */
export function keysCommand(io: CliIo): Command {
  const keys = new Command('keys').description('product keys');
  keys
    .command('mint')
    .description('mint a batch of product keys for a SKU of the published catalog')
    .argument('<dir>', 'the vendor directory')
    .requiredOption('--sku <code>', 'the SKU code', toCount)
    .addOption(
      new Option('--channel <channel>', 'the channel').choices(CHANNELS).makeOptionMandatory(),
    )
    .option('--count <n>', 'how many keys', toCount, 1)
    .option(
      '--limit <n>',
      'activations per key (MAK and host keys default to the SKU limit)',
      toCount,
    )
    .option('--out <file>', 'write the keys to this file (readable only by you) instead of stdout')
    .action(async (dir: string, flags: MintFlags) => {
      const keys = await mintFromCli(dir, flags, io);
      if (flags.out === undefined) io.out(`${keys.join('\n')}\n`);
      else await writeFile(flags.out, `${keys.join('\n')}\n`, { mode: 0o600 });
    });
  return keys;
}

async function mintFromCli(dir: string, flags: MintFlags, io: CliIo): Promise<string[]> {
  const { deps } = await openVendor(dir, (line) => io.err(`${line}\n`));
  try {
    const catalog = deps.catalogs.current;
    if (catalog === null) throw new Error('publish a catalog first: slm-api catalog publish DIR');
    const found = findSkuByCode(catalog.catalog, flags.sku);
    if (found === null)
      throw new SlmError('product.not_found', `the catalog has no SKU ${flags.sku}`);
    const order = {
      sku: found.sku,
      channel: flags.channel,
      count: flags.count,
      activationLimit: flags.limit,
    };
    const progress = progressBar(io, 'minting');
    const batch = await mintBatch(deps.vdb, deps.secrets.keySecret, order, Date.now(), progress);
    if (!batch.ok) throw batch.error;
    return batch.value.keys;
  } finally {
    await deps.vdb.close();
  }
}

function toCount(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`not a whole number: ${text}`);
  return n;
}
