import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLM_API, slmApi } from './binary.js';

let dir: string;
let vendor: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slm-api-mint-'));
  vendor = join(dir, 'vendor');
  await slmApi(['init', vendor]);
  await slmApi(['catalog', 'publish', vendor]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function keyCount(): number {
  const db = new BetterSqlite3(join(vendor, 'vendor.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM keys').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const mint = (...extra: string[]) =>
  slmApi(['keys', 'mint', vendor, '--sku', '101', '--channel', 'mak', ...extra]);

describe('slm-api keys mint --out', () => {
  it('when the folder of --out does not exist then nothing is minted and it says so', async () => {
    const before = keyCount();
    const out = join(dir, 'no-such-folder', 'keys.txt');

    const call = await mint('--count', '3', '--out', out);

    expect(call.code).toBe(2);
    expect(call.stderr).toBe(
      `slm-api: --out ${out}: its folder does not exist; nothing was minted\n`,
    );
    expect(call.stderr).not.toContain('minting');
    expect(keyCount()).toBe(before);
  });

  it('when --out is a folder then nothing is minted and it says so', async () => {
    const before = keyCount();

    const call = await mint('--out', dir);

    expect(call.code).toBe(2);
    expect(call.stderr).toContain(`--out ${dir}: is a folder`);
    expect(keyCount()).toBe(before);
  });

  it('when --out already exists then the first batch is kept and nothing is minted', async () => {
    const out = join(dir, 'batch.txt');
    const first = await mint('--count', '2', '--out', out);
    const firstKeys = await readFile(out, 'utf8');
    const before = keyCount();

    const again = await mint('--count', '2', '--out', out);

    expect(first.code).toBe(0);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`--out ${out}: already exists`);
    expect(await readFile(out, 'utf8')).toBe(firstKeys);
    expect(keyCount()).toBe(before);
  });

  it('when minting is killed midway then the file holds every committed key but at most the last chunk', async () => {
    const out = join(dir, 'killed.txt');
    const before = keyCount();
    const child = spawn(
      process.execPath,
      [
        SLM_API,
        'keys',
        'mint',
        vendor,
        '--sku',
        '101',
        '--channel',
        'mak',
        '--count',
        '10000',
        '--out',
        out,
      ],
      { stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    for (let i = 0; i < 2000 && !((await stat(out).catch(() => null))?.size ?? 0); i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill('SIGKILL');
    await exited;

    const inFile = (await readFile(out, 'utf8')).split('\n').filter(Boolean).length;
    const inDatabase = keyCount() - before;
    expect(inFile).toBeGreaterThan(0);
    expect(inFile).toBeLessThan(10_000);
    expect(inDatabase - inFile).toBeGreaterThanOrEqual(0);
    expect(inDatabase - inFile).toBeLessThanOrEqual(500);
  });

  it('when minting fails after --out was checked then no empty file is left', async () => {
    const out = join(dir, 'unsold.txt');

    const call = await slmApi([
      'keys',
      'mint',
      vendor,
      '--sku',
      '201',
      '--channel',
      'oem',
      '--out',
      out,
    ]);

    expect(call.code).toBe(1);
    expect(call.stderr).toContain('key.wrong_channel');
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
  });
});

describe('slm-api keys mint refuses what POST /v1/admin/keys refuses', () => {
  it.each([
    [['--limit', '0'], '--limit'],
    [['--limit', '99999999999'], '--limit'],
    [['--limit', '-3'], '--limit'],
    [['--count', '0'], '--count'],
    [['--count', ''], '--count'],
    [['--count', '10001'], '--count'],
    [['--count', '2.5'], '--count'],
    [['--sku', '70000'], '--sku'],
  ])(
    'when given %j then it is a usage error naming %s and nothing is minted',
    async (args, option) => {
      const before = keyCount();

      const call = await mint(...args);

      expect(call.code).toBe(2);
      expect(call.stdout).toBe('');
      expect(call.stderr).toContain(option);
      expect(keyCount()).toBe(before);
    },
  );

  it.each(['retail', 'oem', 'volume_client'])(
    'when a %s key is given --limit then it is a usage error: only MAK and host keys have one',
    async (channel) => {
      const before = keyCount();

      const call = await slmApi([
        'keys',
        'mint',
        vendor,
        '--sku',
        '101',
        '--channel',
        channel,
        '--limit',
        '5',
      ]);

      expect(call.code).toBe(2);
      expect(call.stderr).toContain(
        '--limit: only MAK and volume host keys have an activation limit',
      );
      expect(keyCount()).toBe(before);
    },
  );

  it('when a volume host key is given --limit then it is minted with that limit', async () => {
    const call = await slmApi([
      'keys',
      'mint',
      vendor,
      '--sku',
      '101',
      '--channel',
      'volume_host',
      '--limit',
      '3',
    ]);

    expect(call.code).toBe(0);
    expect(call.stdout.trim().split('\n')).toHaveLength(1);
  });
});
