/**
 * Node entry of the language server: builds the connection (--stdio, --node-ipc or --socket, as
 * vscode-languageserver reads them from argv; --stdio with a writer that sends each message in one
 * write) and the Node runtime, then hands over to startServer.
 */
import './tuneV8';
import { promises as fs } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { format, inspect } from 'node:util';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import type { RuntimeEnvironment } from './runtime';
import { startServer } from './startServer';
import { createStdioConnection } from './stdio';

// The first transport flag decides, as in vscode-languageserver (`--stdio`, `--node-ipc`, `--socket=N`, `--pipe=P`).
const transport = process.argv.slice(2).map((a) => a.split('=')[0]).find((a) => ['--stdio', '--node-ipc', '--socket', '--pipe'].includes(a));
const connection = transport === '--stdio'
  ? createStdioConnection()
  : createConnection(ProposedFeatures.all);

// Logs go to the client (its output channel); stdout belongs to the protocol. Every console method
// that writes to stdout goes through one of these (count, group, table, timeLog: log; trace: error).
console.log = console.info = console.debug = console.dirxml = (...args: unknown[]) => connection.console.log(format(...args));
console.warn = (...args: unknown[]) => connection.console.warn(format(...args));
console.error = (...args: unknown[]) => connection.console.error(format(...args));
console.dir = (arg: unknown, options?: object) => connection.console.log(inspect(arg, options));

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
