/**
 * Node entry of the language server: builds the connection (--stdio, --node-ipc or --socket, as
 * vscode-languageserver reads them from argv) and the Node runtime, then hands over to startServer.
 */
import { promises as fs } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import type { RuntimeEnvironment } from './runtime';
import { startServer } from './startServer';

const connection = createConnection(ProposedFeatures.all);

// Logs go to the client (its output channel); stdout belongs to the protocol.
console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));

const runtime: RuntimeEnvironment = {
  file: {
    async readFile(path) {
      try {
        return await fs.readFile(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    async readDirectory(path) {
      try {
        const entries = await fs.readdir(path, { withFileTypes: true });
        return entries.map((e) => ({ name: e.name, isFile: e.isFile(), isDirectory: e.isDirectory() }));
      } catch {
        return [];
      }
    },
    async fileSize(path) {
      try {
        const st = await fs.stat(path);
        return st.isFile() ? st.size : undefined;
      } catch {
        return undefined;
      }
    },
  },
  timer: {
    setImmediate(callback) {
      const h = setImmediate(callback);
      return { dispose: () => clearImmediate(h) };
    },
    setTimeout(callback, ms) {
      const h = setTimeout(callback, ms);
      return { dispose: () => clearTimeout(h) };
    },
  },
  now: () => performance.now(),
  log: {
    info: (message) => connection.console.info(message),
    error: (message) => connection.console.error(message),
  },
  collectGarbage: exposeGc(),
};

process.on('uncaughtException', (e) => runtime.log.error(`Uncaught exception: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
process.on('unhandledRejection', (e) => runtime.log.error(`Unhandled rejection: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));

startServer(connection, runtime);

/**
 * V8's `gc()`, without starting Node with --expose-gc (the server is started as `node server.js` by
 * any client): the flag is set, and a fresh context gets the function. `undefined` where that fails.
 */
function exposeGc(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? () => gc() : undefined;
  } catch {
    return undefined;
  }
}
