// Bundles slmgr as CommonJS, so a start never wakes Node's ES module loader, in two files:
// dist/slmgr.cjs holds every option but those that validate input with zod, which live in
// dist/slmgr-zod.cjs, loaded only when one of them runs. The second bundle takes the modules
// both need from the first, so there is one SlmError class and one copy of every module's state.
// dist/slmgr.cjs.cache holds V8's code cache for the first bundle (see bin/slmgr.js).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

/** The options whose code needs `@slm/core` (with zod) or `@slm/activation-client`. */
const ZOD_COMMANDS = ['ilc', 'rilc', 'ato', 'atp'];
// Bundles are made in a folder beside dist and renamed into it, so an slmgr started meanwhile (a
// test of another package) finds the old files or the new ones, never none.
const STAGE = `.dist-${process.pid}`;
const MAIN = `${STAGE}/slmgr.cjs`;
const ZOD = `${STAGE}/slmgr-zod.cjs`;
const PUBLISHED = ['slmgr-zod.cjs', 'slmgr-zod.cjs.map', 'slmgr.cjs.map', 'slmgr.cjs'];

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

try {
  const first = await buildMain([]);
  const zod = await buildZod(bundledInto(first.metafile, MAIN));
  const main = await buildMain(zod.shared);
  assertNoZod(main.metafile);
  publish();
} finally {
  rmSync(STAGE, { recursive: true, force: true });
}
writeCodeCache('dist/slmgr.cjs');

/** Moves the bundles into dist, the zod one first, and removes what an older build left. */
function publish() {
  mkdirSync('dist', { recursive: true });
  for (const name of PUBLISHED) renameSync(join(STAGE, name), join('dist', name));
  // The old code cache stays until the new one replaces it: its digest no longer matches.
  const keep = new Set([...PUBLISHED, 'slmgr.cjs.cache']);
  for (const name of readdirSync('dist')) {
    if (!keep.has(name)) rmSync(join('dist', name), { recursive: true, force: true });
  }
}

/** The main bundle; `shared` lists the modules it lends to the zod bundle. */
function buildMain(shared) {
  return build({
    ...common,
    entryPoints: ['src/main.ts'],
    outfile: MAIN,
    plugins: [zodCommandsElsewhere(), sharedRegistry(shared), bundledSqlite(), lazyChildProcess()],
  });
}

/** Options' `import('./commands/ilc.js')` and the like load their command from the zod bundle. */
function zodCommandsElsewhere() {
  const filter = new RegExp(`^\\./commands/(${ZOD_COMMANDS.join('|')})\\.js$`);
  return {
    name: 'zod-commands-elsewhere',
    setup(b) {
      b.onResolve({ filter }, (args) => ({
        path: filter.exec(args.path)?.[1],
        namespace: 'zod-command',
      }));
      b.onResolve({ filter: /^\.\/slmgr-zod\.cjs$/ }, (args) => ({
        path: args.path,
        external: true,
      }));
      b.onLoad({ filter: /.*/, namespace: 'zod-command' }, (args) => ({
        contents: `import { shared } from 'slm:shared';
export const { run } = require('./slmgr-zod.cjs').command(${JSON.stringify(args.path)}, shared);`,
        resolveDir: process.cwd(),
      }));
    },
  };
}

/**
 * better-sqlite3's JavaScript goes into the bundle through src/bundle/better-sqlite3.cjs, which
 * falls back to the installed package when its version differs; its native addon is loaded from
 * node_modules, as it must be, by the real `bindings` told where the package is.
 */
function bundledSqlite() {
  const shim = (name) => resolve('src/bundle', name);
  return {
    name: 'bundled-sqlite',
    setup(b) {
      b.onResolve({ filter: /^better-sqlite3$/ }, (args) =>
        args.importer === shim('better-sqlite3.cjs')
          ? undefined
          : { path: shim('better-sqlite3.cjs') },
      );
      b.onResolve({ filter: /^bindings$/ }, async (args) => {
        if (args.pluginData === 'real') return undefined;
        if (args.importer !== shim('bindings.cjs')) return { path: shim('bindings.cjs') };
        const sqlite = await b.resolve('better-sqlite3/package.json', {
          kind: 'require-call',
          resolveDir: process.cwd(),
        });
        const resolveDir = dirname(sqlite.path);
        return b.resolve('bindings', { kind: 'require-call', resolveDir, pluginData: 'real' });
      });
    },
  };
}

/**
 * Commander loads node:child_process (and with it net, dgram and streams) only to run
 * executable subcommands, which slmgr has none of: load it when a subcommand is spawned.
 */
function lazyChildProcess() {
  const eager = "const childProcess = require('node:child_process');";
  const lazy =
    "const childProcess = { get spawn() { return require('node:child_process').spawn; } };";
  return {
    name: 'lazy-child-process',
    setup(b) {
      b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes(eager)) throw new Error(`${args.path} no longer has: ${eager}`);
        return { contents: source.replace(eager, lazy), loader: 'js' };
      });
    },
  };
}

/** `slm:shared`: a loader per shared module, keyed by its path as the metafile names it. */
function sharedRegistry(shared) {
  const loaders = shared.map(
    (key) => `${JSON.stringify(key)}: () => require(${JSON.stringify(`./${key}`)}),`,
  );
  return {
    name: 'shared-registry',
    setup(b) {
      b.onResolve({ filter: /^slm:shared$/ }, () => ({ path: 'shared', namespace: 'slm' }));
      b.onLoad({ filter: /.*/, namespace: 'slm' }, () => ({
        contents: `export const shared = {\n${loaders.join('\n')}\n};`,
        resolveDir: process.cwd(),
      }));
    },
  };
}

/** The zod bundle: `command(name, shared)` gives a command, with `shared` from the main bundle. */
async function buildZod(mainInputs) {
  const inMain = new Set(mainInputs);
  const shared = new Set();
  const commands = ZOD_COMMANDS.map(
    (name) => `${JSON.stringify(name)}: () => require('./src/commands/${name}.ts'),`,
  );
  const result = await build({
    ...common,
    stdin: {
      contents: `import { registry } from 'slm:registry';
const commands = {\n${commands.join('\n')}\n};
export function command(name, shared) {
  registry.shared ??= shared;
  return commands[name]();
}`,
      resolveDir: process.cwd(),
      sourcefile: 'slmgr-zod-entry.js',
    },
    outfile: ZOD,
    plugins: [borrowFromMain(inMain, shared)],
  });
  return { ...result, shared: [...shared].sort() };
}

/** In the zod bundle, a module the main bundle holds is taken from it, not bundled again. */
function borrowFromMain(inMain, shared) {
  return {
    name: 'borrow-from-main',
    setup(b) {
      b.onResolve({ filter: /^slm:registry$/ }, () => ({ path: 'registry', namespace: 'slm' }));
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'resolving' || args.namespace !== 'file') return undefined;
        if (args.kind === 'entry-point') return undefined;
        const found = await b.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: 'resolving',
        });
        if (found.errors.length > 0 || found.external) return found;
        const key = relative(process.cwd(), found.path);
        if (!inMain.has(key) || key.startsWith('src/commands/')) return found;
        shared.add(key);
        return { path: key, namespace: 'borrowed' };
      });
      b.onLoad({ filter: /.*/, namespace: 'slm' }, () => ({
        contents: 'export const registry = { shared: undefined };',
      }));
      b.onLoad({ filter: /.*/, namespace: 'borrowed' }, (args) => ({
        contents: `const { registry } = require('slm:registry');
module.exports = registry.shared[${JSON.stringify(args.path)}]();`,
        resolveDir: process.cwd(),
      }));
    },
  };
}

/**
 * The modules whose code is in `output`: re-exporting barrels and unused modules are not, so the
 * zod bundle lends only what the main bundle holds anyway.
 */
function bundledInto(metafile, output) {
  const inputs = Object.entries(metafile.outputs[output]?.inputs ?? {});
  return inputs.filter(([, { bytesInOutput }]) => bytesInOutput > 0).map(([path]) => path);
}

/** Display commands must not load the schema library: fail the build if it slipped in. */
function assertNoZod(metafile) {
  const heavy = Object.keys(metafile.inputs).filter(
    (path) => /[\\/]zod[\\/]/.test(path) || path.endsWith('core/dist/index.js'),
  );
  if (heavy.length > 0) throw new Error(`${MAIN} bundles zod: ${heavy.slice(0, 3).join(', ')}`);
}

/**
 * Writes V8's code cache for the bundle as bin/slmgr.js compiles it (wrapped as CommonJS is),
 * prefixed by the SHA-256 of that text and the cache, so the cache is never used for other code
 * (V8 itself checks only the length of the source) nor when damaged (V8 would crash on it). The cache is taken after running `/dli` on a scratch
 * store with one product, so it holds the functions a display command runs, not only the
 * top level: a start then compiles next to nothing.
 */
function writeCodeCache(bundle) {
  const home = mkdtempSync(join(tmpdir(), 'slmgr-build-'));
  try {
    execFileSync(process.execPath, ['bench/setup.mjs', home], { stdio: 'inherit' });
    execFileSync(process.execPath, ['-e', `(${cacheAfterRun})()`, resolve(bundle), '/dli'], {
      env: { ...process.env, SLM_HOME: home, SLM_LICENCE_DIR: join(home, 'licences') },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Runs in a child node: runs the bundle with the arguments given, then writes its code cache. */
function cacheAfterRun() {
  const { createHash } = require('node:crypto');
  const { readFileSync, renameSync, writeFileSync } = require('node:fs');
  const { createRequire } = require('node:module');
  const { dirname } = require('node:path');
  const { Script } = require('node:vm');
  const [bundle, ...argv] = process.argv.slice(1);
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`;
  const script = new Script(wrapped, { filename: bundle });
  process.argv = [process.execPath, bundle, ...argv];
  process.on('exit', (status) => {
    if (status !== 0) return;
    const data = script.createCachedData();
    const digest = createHash('sha256').update(wrapped).update(data).digest();
    writeFileSync(`${bundle}.cache.tmp`, Buffer.concat([digest, data]));
    renameSync(`${bundle}.cache.tmp`, `${bundle}.cache`);
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
}
