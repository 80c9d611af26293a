import { access, chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initVendor } from '../src/vendor/init.js';
import { slmApi } from './binary.js';

let dir: string;
let made = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slm-api-folder-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A fresh vendor folder, made in-process so each test can break its own. */
async function vendor(): Promise<string> {
  const folder = join(dir, `vendor-${++made}`);
  await initVendor(folder, { name: 'Folder Vendor', host: '127.0.0.1', port: 0 });
  return folder;
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

describe('when a file of the vendor folder is missing or broken then the error names it', () => {
  it('when vendor.sqlite is gone then serve refuses to start on an empty one, exit 2', async () => {
    const folder = await vendor();
    const database = join(folder, 'vendor.sqlite');
    await rm(database);

    const call = await slmApi(['serve', folder, '--port', '0']);

    expect(call.code).toBe(2);
    expect(call.stdout).toBe('');
    expect(call.stderr).toMatch(new RegExp(`^slm-api: ${database} is missing: .*backup.*\\n$`));
    expect(await exists(database)).toBe(false);
  });

  it('when the signing key is not a key then it names vendor-signing-key.pem', async () => {
    const folder = await vendor();
    const key = join(folder, 'vendor-signing-key.pem');
    await writeFile(key, 'garbage\n');

    const call = await slmApi(['catalog', 'publish', folder]);

    expect(call.code).toBe(1);
    expect(call.stderr).toBe(`slm-api: ${key}: not an Ed25519 private key in PEM form\n`);
  });

  it('when vendor.sqlite is not a database then it names the file', async () => {
    const folder = await vendor();
    const database = join(folder, 'vendor.sqlite');
    await writeFile(database, 'x'.repeat(4096));

    const call = await slmApi(['serve', folder, '--port', '0']);

    expect(call.code).toBe(1);
    expect(call.stderr).toBe(
      `slm-api: ${database}: not a vendor database (file is not a database); restore it from a backup\n`,
    );
  });

  it('when config.json is not JSON then it names the file', async () => {
    const folder = await vendor();
    const config = join(folder, 'config.json');
    await writeFile(config, '{ "publicUrl": ');

    const call = await slmApi(['serve', folder, '--port', '0']);

    expect(call.code).toBe(1);
    expect(call.stderr).toMatch(new RegExp(`^slm-api: ${config}: not valid JSON \\(.*\\)\\n$`));
  });

  it('when catalog.json is not JSON then publish names the file', async () => {
    const folder = await vendor();
    const catalog = join(folder, 'catalog.json');
    await writeFile(catalog, 'products: []');

    const call = await slmApi(['catalog', 'publish', folder]);

    expect(call.code).toBe(1);
    expect(call.stderr).toMatch(new RegExp(`^slm-api: ${catalog}: not valid JSON \\(.*\\)\\n$`));
  });

  it.skipIf(process.getuid?.() === 0)(
    'when the vendor folder cannot be read then it says permission denied, not "no config.json"',
    async () => {
      const folder = await vendor();
      await chmod(folder, 0o000);

      const call = await slmApi(['serve', folder, '--port', '0']);

      await chmod(folder, 0o700);
      expect(call.code).toBe(2);
      expect(call.stderr).toBe(
        `slm-api: ${folder}: permission denied, so its config.json cannot be read\n`,
      );
    },
  );
});

describe('slm-api init checks its folder and options before creating anything', () => {
  it('when the folder is a file then it says so, exit 2', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'hello\n');

    const call = await slmApi(['init', file]);

    expect(call.code).toBe(2);
    expect(call.stderr).toBe(`slm-api: ${file} is a file, not a folder\n`);
    expect(await readFile(file, 'utf8')).toBe('hello\n');
  });

  it('when the folder is empty text then it asks for one, exit 2', async () => {
    const call = await slmApi(['init', '']);

    expect(call.code).toBe(2);
    expect(call.stderr).toBe('slm-api: give the folder to create the vendor in\n');
  });

  it.each([
    ['--public-url', 'notaurl'],
    ['--public-url', 'ftp://x'],
    ['--name', ''],
  ])('when %s is %j then nothing is created and init can be run again', async (option, value) => {
    const folder = join(dir, `refused-${++made}`);

    const refused = await slmApi(['init', folder, option, value]);
    const again = await slmApi(['init', folder]);

    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`^slm-api: ${option}: .*; nothing was created\\n$`));
    expect(again.code).toBe(0);
  });

  it('when the folder exists empty then init makes the vendor in it', async () => {
    const folder = join(dir, 'empty');
    await mkdir(folder);

    const call = await slmApi(['init', folder]);

    expect(call.code).toBe(0);
    expect(await exists(join(folder, 'vendor.sqlite'))).toBe(true);
  });
});

describe('slm-api catalog publish', () => {
  it('when serviceUrl is not http or https then the catalog is not signed', async () => {
    const folder = await vendor();
    const file = join(folder, 'catalog.json');
    const catalog = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...catalog, serviceUrl: 'ftp://x' }));

    const call = await slmApi(['catalog', 'publish', folder]);

    expect(call.code).toBe(1);
    expect(call.stderr).toContain('serviceUrl: expected an http: or https: URL');
    expect(call.stderr).toContain('(catalog.malformed)');
    expect(await exists(join(folder, 'catalog.signed'))).toBe(false);
  });
});
