// Bundles the extension-host mocha suite into test/exthost/out/suite.js, a CommonJS module the
// extension host loads as `extensionTestsPath` (it calls its exported run()). `vscode` comes from the
// host; mocha is loaded from node_modules at run time.
import * as esbuild from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
await esbuild.build({
  entryPoints: [join(here, 'suite', 'index.ts')],
  outfile: join(here, 'out', 'suite.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
