import { type FileHandle, open, stat, unlink } from 'node:fs/promises';
import { CHANNELS, type Channel, findSkuByCode, SlmError } from '@slm/core';
import { Command, InvalidArgumentError, Option } from 'commander';
import { mintBatch } from '../admin/mint.js';
import { type MintOrderInput, mintOrderSchema } from '../admin/mint-order.js';
import { openVendor } from '../service.js';
import { UsageError } from './errors.js';
import type { CliIo } from './io.js';
import { progressBar } from './progress.js';

interface MintFlags {
  sku: number;
  channel: Channel;
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
    .requiredOption('--sku <code>', 'the SKU code', wholeNumber)
    .addOption(
      new Option('--channel <channel>', 'the channel').choices(CHANNELS).makeOptionMandatory(),
    )
    .option('--count <n>', 'how many keys, 1 to 10000', wholeNumber, 1)
    .option(
      '--limit <n>',
      'activations per key, MAK and volume host keys only (default: the SKU limit)',
      wholeNumber,
    )
    .option('--out <file>', 'write the keys to this new file (readable only by you), not stdout')
    .action(async (dir: string, flags: MintFlags) => {
      const order = orderOf(flags);
      const keys = await mintFromCli(dir, order, flags.out, io);
      if (flags.out === undefined) io.out(`${keys.join('\n')}\n`);
    });
  return keys;
}

const OPTION_OF: Readonly<Record<string, string>> = {
  skuCode: '--sku',
  channel: '--channel',
  count: '--count',
  activationLimit: '--limit',
};

// The same schema as POST /v1/admin/keys, so the CLI refuses what the API refuses.
function orderOf(flags: MintFlags): MintOrderInput {
  const parsed = mintOrderSchema.safeParse({
    skuCode: flags.sku,
    channel: flags.channel,
    count: flags.count,
    activationLimit: flags.limit,
  });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? '');
  const option = OPTION_OF[field] ?? field;
  throw new UsageError(`${option}: ${issue?.message ?? 'invalid'}; nothing was minted`);
}

async function mintFromCli(
  dir: string,
  order: MintOrderInput,
  out: string | undefined,
  io: CliIo,
): Promise<string[]> {
  const { deps } = await openVendor(dir, (line) => io.err(`${line}\n`));
  try {
    const catalog = deps.catalogs.current;
    if (catalog === null) throw new Error('publish a catalog first: slm-api catalog publish DIR');
    const found = findSkuByCode(catalog.catalog, order.skuCode);
    if (found === null)
      throw new SlmError('product.not_found', `the catalog has no SKU ${order.skuCode}`);
    // The file is made before any key, so a bad --out leaves the database as it was.
    const file = out === undefined ? null : await createOutFile(out);
    const withSku = { ...order, sku: found.sku };
    const progress = progressBar(io, 'minting');
    // Each chunk reaches the file as soon as it is committed: a kill or a failure midway leaves
    // the file holding every minted key but at most the last chunk's.
    let written = 0;
    const committed = async (keys: readonly string[]) => {
      if (file === null) return;
      await file.handle.write(`${keys.join('\n')}\n`);
      await file.handle.datasync();
      written += keys.length;
    };
    const batch = await mintBatch(
      deps.vdb,
      deps.secrets.keySecret,
      withSku,
      Date.now(),
      progress,
      committed,
    ).catch(async (error: unknown) => {
      if (file !== null) await settle(file, written);
      if (written > 0) io.err(`the ${written} keys minted before this failure are in ${out}\n`);
      throw error;
    });
    if (file !== null) await settle(file, written);
    if (!batch.ok) throw batch.error;
    return batch.value.keys;
  } finally {
    await deps.vdb.close();
  }
}

// Exclusive creation: a second run never writes over the keys of the first.
async function createOutFile(out: string) {
  try {
    return { handle: await open(out, 'wx', 0o600), path: out };
  } catch (error) {
    throw new UsageError(`--out ${out}: ${await whyNotCreated(out, error)}; nothing was minted`);
  }
}

async function whyNotCreated(out: string, error: unknown): Promise<string> {
  const code = (error as NodeJS.ErrnoException).code;
  const folder = await stat(out).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (folder || code === 'EISDIR') return 'is a folder; give the name of a new file';
  if (code === 'EEXIST') return 'already exists; keys are never written over a file';
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'its folder does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (error as Error).message;
}

// A file that received no key is removed; one that did is kept, whatever happened after.
async function settle(file: { handle: FileHandle; path: string }, written: number): Promise<void> {
  await file.handle.close();
  if (written === 0) await unlink(file.path).catch(() => undefined);
}

/** A whole number written in decimal digits; anything else is a usage error naming it. */
function wholeNumber(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError('expected a whole number');
  return Number(text);
}
