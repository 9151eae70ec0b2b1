/**
 * Runs the extension-host suite (test/exthost/out/suite.js, built by test/exthost/build.mjs) inside
 * code-server: code-server refuses --extensionDevelopmentPath on its command line, but the workbench
 * takes the same thing as a URL payload, as VS Code's browser integration tests do. The suite's exit
 * code comes back through `codeAutomationExit`; its console output through the page console.
 * Usage: node --import tsx test/exthost/runCodeServer.ts   (exit code = the suite's)
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { ARTIFACTS, EditorSession, REPO } from '../e2e/harness';

/** Same as suite/index.ts OUTPUT_MARK (that module imports `vscode`, so it cannot be imported here). */
const OUTPUT_MARK = '[daemonset-lens-exthost] ';

const SUITE = join(REPO, 'test', 'exthost', 'out', 'suite.js');
const TIMEOUT_MS = 180_000;

async function main(): Promise<number> {
  if (!existsSync(SUITE)) throw new Error(`${SUITE} not built: run \`node test/exthost/build.mjs\``);
  if (!existsSync(join(REPO, 'client', 'out', 'extension.js'))) throw new Error('client/out/extension.js not built: run `npm run build`');
  let settle!: (code: number) => void;
  const exited = new Promise<number>((r) => (settle = r));
  const session = await EditorSession.start({
    name: 'exthost',
    workspace: join(REPO, 'test', 'exthost', 'workspace'),
    vsix: false, // the extension is loaded from the repository as the development extension
    noWait: true,
    beforeOpen: async (page) => {
      await page.exposeFunction('codeAutomationExit', (code: number) => settle(code));
      page.on('console', async (msg) => {
        // The extension host's console reaches the page as console.log('%c INFO', style, fmt, ...args).
        const args = await Promise.all(msg.args().map((a) => a.jsonValue().catch(() => undefined)));
        if (typeof args[0] === 'string' && args[0].startsWith('%c') && args.length > 2) {
          const text = format(...(args.slice(2) as [unknown, ...unknown[]]));
          if (text.startsWith(OUTPUT_MARK)) process.stdout.write(`${text.slice(OUTPUT_MARK.length)}\n`);
        }
      });
    },
    query: (server) => {
      const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
      return { payload: JSON.stringify([['extensionDevelopmentPath', remote(REPO)], ['extensionTestsPath', remote(SUITE)]]) };
    },
  });
  let code: number;
  try {
    const timeout = new Promise<number>((r) => setTimeout(() => r(-1), TIMEOUT_MS).unref());
    code = await Promise.race([exited, timeout]);
    if (code === -1) console.error(`The extension-host suite did not finish within ${TIMEOUT_MS / 1000} s`);
    if (code !== 0) {
      mkdirSync(join(ARTIFACTS, 'exthost'), { recursive: true });
      await session.page.screenshot({ path: join(ARTIFACTS, 'exthost', 'FAILED.png') }).catch(() => undefined);
      session.saveLogs('FAILED');
    }
  } finally {
    await session.close();
  }
  return code === -1 ? 1 : code;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
