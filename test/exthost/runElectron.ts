/**
 * Runs the extension-host suite in a desktop VS Code with @vscode/test-electron, where one can be
 * downloaded or is installed: set DSL_VSCODE to a VS Code executable to use it, else test-electron
 * downloads the stable build. (Here, without internet, use runCodeServer.ts instead.)
 * Usage: node test/exthost/build.mjs && npm run build && node --import tsx test/exthost/runElectron.ts
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO } from '../e2e/harness';

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'dsl-exthost-electron-'));
  const workspace = join(root, 'workspace');
  cpSync(join(REPO, 'test', 'exthost', 'workspace'), workspace, { recursive: true });
  try {
    await runTests({
      vscodeExecutablePath: process.env.DSL_VSCODE || undefined,
      extensionDevelopmentPath: REPO,
      extensionTestsPath: join(REPO, 'test', 'exthost', 'out', 'suite.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', join(root, 'user-data'), '--extensions-dir', join(root, 'extensions')],
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
