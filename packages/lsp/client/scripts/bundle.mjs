// Bundles the extension (dist/extension.js) and the language server with @haplo/parser,
// chevrotain and vscode-languageserver (dist/server.js) into one CommonJS file each, so the
// .vsix needs no node_modules. Run after `tsc -b` at the repository root (it reads packages/*/dist).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const client = join(here, '..');
const parserDir = join(client, '../../parser');
// The same single-file chevrotain build chevrotain-runtime.ts loads (no lodash-es modules).
const chevrotainMin = join(dirname(createRequire(join(parserDir, 'package.json')).resolve('chevrotain')), '..', 'chevrotain.min.mjs');

/** Replaces @haplo/parser's run-time chevrotain lookup with a static import esbuild can follow. */
const chevrotainRuntime = {
  name: 'chevrotain-runtime',
  setup(b) {
    b.onResolve({ filter: /(^|\/)chevrotain-runtime\.js$/ }, () => ({ path: join(here, 'chevrotain-bundled.mjs') }));
    b.onResolve({ filter: /^chevrotain$/ }, () => ({ path: chevrotainMin }));
  },
};

/** Replaces the server's run-time require() of vscode-languageserver with an import esbuild can follow. */
const languageServerApi = {
  name: 'language-server-api',
  setup(b) {
    b.onResolve({ filter: /(^|\/)language-server-api\.js$/ }, () => ({ path: join(here, 'language-server-api-bundled.mjs') }));
  },
};

const common = { bundle: true, platform: 'node', target: 'node18', format: 'cjs', sourcemap: false, minify: process.argv.includes('--minify'), logLevel: 'warning' };

await build({ ...common, entryPoints: [join(client, 'src/extension.ts')], outfile: join(client, 'dist/extension.js'), external: ['vscode'] });
await build({ ...common, entryPoints: [join(client, 'src/server-main.ts')], outfile: join(client, 'dist/server.js'), plugins: [chevrotainRuntime, languageServerApi] });
