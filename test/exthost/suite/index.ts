/**
 * Entry of the extension-host suite: the host (under @vscode/test-electron or code-server's
 * `extensionTestsPath` payload) calls run(); a rejected promise makes the run exit with code 1.
 */
import Mocha from 'mocha';
import { format } from 'node:util';
import * as vscode from 'vscode';

/** In code-server the host's console reaches the browser mixed with the workbench's own logs;
 * runCodeServer.ts prints only the lines that carry this mark. */
export const OUTPUT_MARK = '[daemonset-lens-exthost] ';

export async function run(): Promise<void> {
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const mark = vscode.env.remoteName ? OUTPUT_MARK : '';
  base.consoleLog = (...args: unknown[]) => console.log(`${mark}${format(...args)}`);
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  // The test files are bundled into this module: expose mocha's describe/it to them, then load them.
  mocha.suite.emit('pre-require', globalThis, 'exthost-suite', mocha);
  await import('./extension.test');
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
