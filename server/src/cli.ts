/**
 * `daemonset-lens`: the command-line entry (bundled to server/out/cli.js, package.json `bin`).
 * Dispatches to one subcommand; every subcommand is `(argv, io) => Promise<exitCode>`.
 */
import { version as PACKAGE_VERSION } from '../../package.json';
import { runCheck } from './cli/check';
import { runPlace } from './cli/place';
import { runPod } from './cli/pod';
import { EXIT_OK, EXIT_USAGE, describeError, nodeIO, type CliIO } from './cli/common';

export interface Command {
  /** One line for `daemonset-lens --help`. */
  summary: string;
  run(argv: readonly string[], io: CliIO): Promise<number>;
}

/** Every subcommand. Add one with one entry here (and its import above). */
export const COMMANDS: Record<string, Command> = {
  check: { summary: 'validate DaemonSet manifests as the API server would (text, json or sarif)', run: (argv, io) => runCheck(argv, io) },
  place: { summary: 'show on which nodes of a cluster file each DaemonSet runs, and why not elsewhere', run: (argv, io) => runPlace([...argv], io) },
  pod: { summary: 'print the pod the DaemonSet controller would create on a node', run: (argv, io) => runPod([...argv], io) },
};

export const VERSION = PACKAGE_VERSION;

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: daemonset-lens <command> [options]

Commands:
${lines.join('\n')}

Options:
  -h, --help      show this help (daemonset-lens <command> --help for a command's options)
  -v, --version   print the version

Example: daemonset-lens check examples/
`;
}

/** Runs the CLI; returns the exit code. Never throws: an unexpected error becomes one line and exit 2. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
      if (first === 'help' && rest[0] && COMMANDS[rest[0]]) return await COMMANDS[rest[0]].run(['--help'], io);
      (first === undefined ? io.stderr : io.stdout)(usage());
      return first === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (first === '-v' || first === '--version') {
      io.stdout(`${PACKAGE_VERSION}\n`);
      return EXIT_OK;
    }
    const command = Object.prototype.hasOwnProperty.call(COMMANDS, first) ? COMMANDS[first] : undefined;
    if (!command) {
      io.stderr(`daemonset-lens: unknown command '${first}' (commands: ${Object.keys(COMMANDS).join(', ')}; see daemonset-lens --help)\n`);
      return EXIT_USAGE;
    }
    return await command.run(rest, io);
  } catch (e) {
    io.stderr(`daemonset-lens: internal error: ${describeError(e)}\n`);
    return EXIT_USAGE;
  }
}

// Run only as the entry point (the bundle, or `tsx server/src/cli.ts`), not when imported by tests.
if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) {
  // A closed pipe (`daemonset-lens check . | head`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  void main(process.argv.slice(2), nodeIO()).then((code) => {
    process.exitCode = code;
  });
}
