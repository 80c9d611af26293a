// Bundles slmgr so a command loads only what it needs: one small entry, one chunk per option.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The native SQLite addon is loaded from node_modules, as it must be.
  external: ['better-sqlite3'],
  // Bundled CommonJS (commander) needs require; give ESM chunks one.
  banner: {
    js: "import { createRequire as __slmRequire } from 'node:module'; const require = __slmRequire(import.meta.url);",
  },
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
