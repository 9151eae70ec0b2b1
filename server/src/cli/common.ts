/**
 * Shared plumbing of the `daemonset-lens` CLI: the injected I/O (the only place that touches the file
 * system and the process), argument parsing, input expansion, and offset -> line/column conversion.
 * Subcommands take a `CliIO` so tests run them in-process with captured output.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { folderPatchPaths } from '../kustomize';
import { featureGateNotes } from '../engine/featureGates';

/** What a subcommand may do to the outside world. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Working directory that relative paths are resolved against. */
  cwd: string;
  /** All of standard input, as bytes. */
  readStdin(): Promise<Uint8Array>;
  /** A whole file, as bytes. Rejects with a Node-style error (`code`) when it cannot be read. */
  readFile(absPath: string): Promise<Uint8Array>;
  /** What a path is; `missing` when it does not exist. Never rejects. */
  stat(absPath: string): Promise<PathInfo>;
  /** Entries of a folder. Rejects with a Node-style error when it cannot be read. */
  readDir(absPath: string): Promise<DirEntry[]>;
}

export interface PathInfo {
  type: 'file' | 'directory' | 'missing' | 'other';
  size?: number;
  /** Why the path could not be examined, when `type` is `missing` for another reason than ENOENT. */
  error?: string;
}

export interface DirEntry {
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
}

/** The real process and file system. Overrides (for example a captured stdout) replace single members. */
export function nodeIO(overrides: Partial<CliIO> = {}): CliIO {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    readStdin: () => readStream(process.stdin),
    readFile: async (p) => new Uint8Array(await fs.readFile(p)),
    stat: async (p) => {
      try {
        const s = await fs.stat(p);
        return { type: s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other', size: s.size };
      } catch (e) {
        const code = errorCode(e);
        return { type: 'missing', error: code === 'ENOENT' || code === 'ENOTDIR' ? undefined : describeError(e) };
      }
    },
    readDir: async (p) => {
      const entries = await fs.readdir(p, { withFileTypes: true });
      return entries.map((d) => ({
        name: d.name,
        type: d.isFile() ? 'file' : d.isDirectory() ? 'directory' : d.isSymbolicLink() ? 'symlink' : 'other',
      }));
    },
    ...overrides,
  };
}

function readStream(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    stream.on('data', (d: Buffer | string) => parts.push(typeof d === 'string' ? Buffer.from(d) : d));
    stream.on('end', () => resolve(new Uint8Array(Buffer.concat(parts))));
    stream.on('error', reject);
  });
}

/** A problem with the command line or the inputs: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** Exit codes shared by every subcommand. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** The Node error code (`ENOENT`, …) of a thrown value, if any. */
export function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : undefined;
}

const ERROR_WORDS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/** One line, no stack: what went wrong in words. */
export function describeError(e: unknown): string {
  const code = errorCode(e);
  if (code && ERROR_WORDS[code]) return ERROR_WORDS[code];
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].trim() || 'unknown error';
}

// ---------------------------------------------------------------------------------------------
// Arguments

/** How one option is read: a flag takes no value, a value option takes the next word or `=value`. */
export interface OptionSpec {
  name: string;
  short?: string;
  takesValue: boolean;
  /** Allowed values, for a clear usage error. */
  choices?: readonly string[];
}

export interface ParsedArgs {
  /** Last value of each value option; `true` for flags that were given. */
  options: Map<string, string | true>;
  positionals: string[];
}

/** Parses `--name value`, `--name=value`, `-x value`, flags, `--` and `-` (standard input, a positional). */
export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const options = new Map<string, string | true>();
  const positionals: string[] = [];
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    let spec: OptionSpec | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
      spec = byName.get(name);
    } else {
      name = arg.slice(1, 2);
      inline = arg.length > 2 ? arg.slice(2).replace(/^=/, '') : undefined;
      spec = byShort.get(name);
    }
    if (!spec) throw new UsageError(`unknown option '${arg.split('=')[0]}'`);
    if (!spec.takesValue) {
      if (inline !== undefined) throw new UsageError(`option '--${spec.name}' takes no value`);
      options.set(spec.name, true);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`option '--${spec.name}' needs a value`);
      value = argv[++i];
    }
    if (spec.choices && !spec.choices.includes(value)) {
      throw new UsageError(`option '--${spec.name}' must be one of ${spec.choices.join(', ')}, not '${value}'`);
    }
    options.set(spec.name, value);
  }
  return { options, positionals };
}

/** The message as printed: the field path first, as the API server prints it. */
export function displayMessage(f: { message: string; path: string }): string {
  const message = f.message.replace(/\s*\r?\n\s*/g, ' ');
  return f.path && !message.startsWith(f.path) ? `${f.path}: ${message}` : message;
}

/** `--kubernetes-version`: `1.35`, `v1.15` or `1.15.3`, trimmed. */
export function parseKubernetesVersion(text: string): string {
  if (!/^v?1\.\d+(\.\d+)?$/.test(text.trim())) throw new UsageError(`--kubernetes-version: '${text}' is not a version like 1.35`);
  return text.trim();
}

/** `Name=true,Other=false` (as kube components take `--feature-gates`). */
export function parseFeatureGates(text: string): Record<string, boolean> {
  const gates: Record<string, boolean> = {};
  for (const part of text.split(',')) {
    const item = part.trim();
    if (!item) continue;
    const m = /^([A-Za-z][A-Za-z0-9]*)=(true|false)$/i.exec(item);
    if (!m) throw new UsageError(`--feature-gates: '${item}' is not Name=true or Name=false`);
    gates[m[1]] = m[2].toLowerCase() === 'true';
  }
  return gates;
}

/** Notes on standard error for `--feature-gates` that change nothing for the target (featureGateNotes). */
export function writeFeatureGateNotes(io: Pick<CliIO, 'stderr'>, command: string, gates: Readonly<Record<string, boolean>> | undefined, kubernetesMinor: number): void {
  if (!gates) return;
  for (const note of featureGateNotes(gates, kubernetesMinor)) io.stderr(`daemonset-lens ${command}: note: --feature-gates: ${note}\n`);
}

// ---------------------------------------------------------------------------------------------
// Inputs

/** Extensions of the files a folder contributes. */
export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** One file to check: `label` is how it is shown (as given, or the folder as given joined with the relative path). */
export interface InputFile {
  label: string;
  /** Absolute path; undefined for standard input. */
  absPath?: string;
  /** The folder as given on the command line, when the file was found by walking it (not named itself). */
  folder?: string;
  /** A folder given on the command line that holds this file, when the file is also named itself. */
  alsoIn?: string;
}

/** The label standard input gets in reports. */
export const STDIN_LABEL = '<stdin>';

/**
 * Expands the command-line paths: files as given (any extension), folders recursively into their
 * `*.yaml`, `*.yml` and `*.json` files (skipping `node_modules` and dot-folders, in name order), `-` as
 * standard input. Paths that cannot be read are returned as `errors`, one line each.
 */
export async function expandInputs(io: CliIO, paths: readonly string[]): Promise<{ files: InputFile[]; errors: string[] }> {
  const files: InputFile[] = [];
  const errors: string[] = [];
  const seen = new Map<string, InputFile>();
  let stdinSeen = false;
  const add = (f: InputFile) => {
    const key = f.absPath ?? STDIN_LABEL;
    const before = seen.get(key);
    if (before) {
      // Named on the command line as well as found in a folder: it counts as named (and belongs to the folder).
      const folder = before.folder ?? f.folder;
      if (f.folder === undefined) delete before.folder;
      if (before.folder === undefined && folder !== undefined) before.alsoIn = folder;
      return;
    }
    seen.set(key, f);
    files.push(f);
  };
  for (const given of paths) {
    if (given === '-') {
      if (!stdinSeen) add({ label: STDIN_LABEL });
      stdinSeen = true;
      continue;
    }
    const abs = path.resolve(io.cwd, given);
    const info = await io.stat(abs);
    if (info.type === 'missing') {
      errors.push(`cannot read '${given}': ${info.error ?? 'no such file or directory'}`);
    } else if (info.type === 'directory') {
      await walk(io, abs, given, (f) => add({ ...f, folder: given }), errors);
    } else {
      add({ label: given, absPath: abs });
    }
  }
  return { files, errors };
}

async function walk(io: CliIO, abs: string, label: string, add: (f: InputFile) => void, errors: string[]): Promise<void> {
  let entries: DirEntry[];
  try {
    entries = await io.readDir(abs);
  } catch (e) {
    errors.push(`cannot read folder '${label}': ${describeError(e)}`);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const childAbs = path.join(abs, entry.name);
    const childLabel = joinLabel(label, entry.name);
    let type = entry.type;
    if (type === 'symlink') {
      // Follow links to files; never links to folders (they can loop).
      const target = await io.stat(childAbs);
      type = target.type === 'file' ? 'file' : 'other';
    }
    if (type === 'directory') {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      await walk(io, childAbs, childLabel, add, errors);
    } else if (type === 'file' && MANIFEST_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) {
      add({ label: childLabel, absPath: childAbs });
    }
  }
}

function joinLabel(folder: string, name: string): string {
  if (folder === '.' || folder === './') return name;
  return folder.endsWith('/') || folder.endsWith(path.sep) ? folder + name : `${folder}/${name}`;
}

/** Files larger than this are not read (the engine stops at 16 MiB of text anyway). */
export const MAX_READ_BYTES = 64 * 1024 * 1024;

/**
 * Decodes file bytes: UTF-16 when a UTF-16 byte-order mark says so (PowerShell 5 writes `>` redirections
 * that way), else UTF-8. The BOM is dropped, invalid bytes become U+FFFD, NULs stay (the engine
 * recognises binaries by them).
 */
export function decodeText(bytes: Uint8Array): string {
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  return new TextDecoder(encoding, { fatal: false, ignoreBOM: false }).decode(bytes);
}

/** Reads one input as text, or gives a one-line reason why not. */
export async function readInput(io: CliIO, input: InputFile): Promise<{ text: string } | { error: string }> {
  try {
    if (!input.absPath) return { text: decodeText(await io.readStdin()) };
    const info = await io.stat(input.absPath);
    if (info.type === 'missing') return { error: `cannot read '${input.label}': ${info.error ?? 'no such file or directory'}` };
    if (info.type === 'directory') return { error: `cannot read '${input.label}': is a directory` };
    if (info.size !== undefined && info.size > MAX_READ_BYTES) {
      return { error: `cannot read '${input.label}': the file is larger than ${MAX_READ_BYTES / 1024 / 1024} MiB` };
    }
    return { text: decodeText(await io.readFile(input.absPath)) };
  } catch (e) {
    return { error: `cannot read '${input.label}': ${describeError(e)}` };
  }
}

// ---------------------------------------------------------------------------------------------
// Kustomize

export { KUSTOMIZATION_FILES, patchPaths } from '../kustomize';

/**
 * Knows which files are patches of a kustomization in their folder (`patches[].path`,
 * `patchesStrategicMerge[]`, `patchesJson6902[].path`), so that they are checked as partial
 * manifests. One lookup per folder; an unreadable or malformed kustomization lists nothing.
 */
export class KustomizePatches {
  private readonly byFolder = new Map<string, Promise<Set<string>>>();
  constructor(private readonly io: CliIO) {}

  async isPatch(absPath: string): Promise<boolean> {
    const folder = path.dirname(absPath);
    let patches = this.byFolder.get(folder);
    if (!patches) {
      patches = this.read(folder);
      this.byFolder.set(folder, patches);
    }
    return (await patches).has(path.resolve(absPath));
  }

  private async read(folder: string): Promise<Set<string>> {
    const paths = await folderPatchPaths(folder, (dir, rel) => path.resolve(dir, rel), {
      size: async (file) => {
        const info = await this.io.stat(file);
        return info.type === 'file' ? info.size ?? 0 : undefined;
      },
      read: async (file) => {
        try {
          return decodeText(await this.io.readFile(file));
        } catch {
          // Not a readable kustomization: no file of the folder is treated as a patch.
          return undefined;
        }
      },
    });
    return new Set(paths);
  }
}

// ---------------------------------------------------------------------------------------------
// Positions

/** A 0-based position as in LSP: line, and UTF-16 code units into the line. */
export interface Position {
  line: number;
  character: number;
}

/**
 * Converts UTF-16 offsets into 0-based line/character positions. Line breaks are `\r\n`, `\r` and
 * `\n`, as in LSP's TextDocument; a position never falls between the `\r` and `\n` of one break.
 */
export class LineIndex {
  /** Offset where each line starts. */
  private readonly starts: number[] = [0];
  /** Offset where each line's content ends (before its line break). */
  private readonly ends: number[] = [];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */ || c === 10 /* \n */) {
        this.ends.push(i);
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
    this.ends.push(text.length);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: Math.min(o, this.ends[lo]) - this.starts[lo] };
  }
}
