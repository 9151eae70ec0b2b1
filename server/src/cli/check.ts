/**
 * `daemonset-lens check [--format text|json|sarif] PATH…`: read files -> engine -> print.
 * Exit 0 when nothing has error severity, 1 when something does, 2 on a usage or read error.
 */
import { pathToFileURL } from 'node:url';
import { homepage as PACKAGE_HOMEPAGE, version as PACKAGE_VERSION } from '../../../package.json';
import { addPods, parseCluster } from '../engine/cluster';
import { DEFAULT_KUBERNETES_VERSION, minorOf } from '../engine/kubernetesVersion';
import { readClusterFile } from './place';
import { ENGINE_CODES } from '../engine/engineCodes';
import { ChunkCache, FindingsCache, RULES, parseDocument, validate, type Finding, type Severity, type SeveritySetting, type ValidateOptions } from '../engine';
import {
  EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, KustomizePatches, LineIndex, STDIN_LABEL, UsageError, displayMessage, expandInputs, parseArgs, parseFeatureGates, parseKubernetesVersion, readInput, writeFeatureGateNotes,
  type CliIO, type InputFile, type OptionSpec, type Position,
} from './common';

export const CHECK_USAGE = `Usage: daemonset-lens check [options] PATH…

Validate the DaemonSets in YAML/JSON manifests as the Kubernetes API server would.
PATH is a file, a folder (searched recursively for *.yaml, *.yml and *.json, skipping
node_modules and dot-folders) or - for standard input. Files listed as patches in the
kustomization.yaml of their folder are checked as partial manifests.

Options:
  -f, --format text|json|sarif   output format (default: text)
      --kubernetes-version V      target Kubernetes version (default: 1.35)
      --feature-gates A=true,…    feature gates in force
      --cluster FILE              nodes (and pods) of the cluster (kubectl get nodes -o yaml),
                                  for the rules that look at where the DaemonSet lands
      --pods FILE                 pods of the cluster, when not in the cluster file
      --rules ID=SEVERITY,…       change a rule's severity: error, warning, information,
                                  hint or off (as the daemonsetLens.rules.<id> setting)
  -h, --help                      show this help

Exit status: 0 no errors, 1 errors found, 2 usage or read error.
`;

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

const OPTIONS: readonly OptionSpec[] = [
  { name: 'format', short: 'f', takesValue: true, choices: FORMATS },
  { name: 'kubernetes-version', takesValue: true },
  { name: 'feature-gates', takesValue: true },
  { name: 'cluster', takesValue: true },
  { name: 'pods', takesValue: true },
  { name: 'rules', takesValue: true },
  { name: 'help', short: 'h', takesValue: false },
];

/** The result of checking one input. */
export interface CheckedFile {
  /** The path as given on the command line (or the folder as given joined with the relative path). */
  file: string;
  absPath?: string;
  text: string;
  findings: Finding[];
}

/** `--format json`: exactly this shape; lines and characters are 0-based as in LSP. */
export interface JsonReport {
  files: Array<{
    file: string;
    diagnostics: Array<{
      code: string;
      severity: Severity;
      message: string;
      path: string;
      range: { start: Position; end: Position };
    }>;
  }>;
  /** Present only when some inputs could not be read (exit 2): one line per path, as on stderr. */
  unreadable?: string[];
}

/** Runs `check`; returns the exit code (usage and read problems are one line on stderr and exit 2). */
export async function runCheck(argv: readonly string[], io: CliIO): Promise<number> {
  let format: Format = 'text';
  let options: ValidateOptions;
  let paths: string[];
  /** The files --cluster and --pods name: their own problems are reported with the inputs'. */
  const clusterFiles: Array<{ label: string; absPath?: string; text: string; findings: Finding[] }> = [];
  try {
    const args = parseArgs(argv, OPTIONS);
    if (args.options.has('help')) {
      io.stdout(CHECK_USAGE);
      return EXIT_OK;
    }
    format = (args.options.get('format') as Format | undefined) ?? 'text';
    options = { cache: new FindingsCache() };
    const version = args.options.get('kubernetes-version');
    if (typeof version === 'string') options.kubernetesVersion = parseKubernetesVersion(version);
    const gates = args.options.get('feature-gates');
    if (typeof gates === 'string') options.featureGates = parseFeatureGates(gates);
    writeFeatureGateNotes(io, 'check', options.featureGates, minorOf(options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION));
    const rules = args.options.get('rules');
    if (typeof rules === 'string') options.severities = parseRuleSeverities(rules);
    paths = args.positionals;
    if (paths.length === 0) throw new UsageError('no input: give files, folders, or - for standard input (see daemonset-lens check --help)');
    const clusterFile = args.options.get('cluster');
    const podsFile = args.options.get('pods');
    if (typeof podsFile === 'string' && typeof clusterFile !== 'string') throw new UsageError('--pods needs --cluster');
    if (typeof clusterFile === 'string') {
      const read = await readClusterFile(io, clusterFile, 'cluster');
      let cluster = read.cluster;
      clusterFiles.push(read.file);
      if (typeof podsFile === 'string') {
        const pods = await readClusterFile(io, podsFile, 'pods');
        cluster = addPods(cluster, pods.cluster);
        clusterFiles.push(pods.file);
      }
      options.cluster = cluster;
      options.clusterStamp = 'cli';
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`daemonset-lens check: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }

  const { files: inputs, errors } = await expandInputs(io, paths);
  const checked: CheckedFile[] = [];
  const chunkCache = new ChunkCache();
  const kustomize = new KustomizePatches(io);
  for (const input of inputs) {
    const read = await readInput(io, input);
    if ('error' in read) {
      errors.push(read.error);
      continue;
    }
    const partial = input.absPath ? await kustomize.isPatch(input.absPath) : false;
    checked.push(checkText(input, read.text, options, chunkCache, partial));
  }
  // A broken cluster or pods file changes every placement the rules judge: its problems are findings
  // like the inputs' (counted, in every format, and an error fails the run), once if it is an input too.
  // An input holding no Node (a pods file, nodes written without a kind) is checked without the cluster
  // reader: what it found there is added to that input's findings.
  for (const c of clusterFiles) {
    if (c.findings.length === 0) continue;
    const input = c.absPath === undefined ? undefined : checked.find((f) => f.absPath === c.absPath);
    if (!input) {
      checked.push({ file: c.label, absPath: c.absPath, text: c.text, findings: c.findings });
      continue;
    }
    const key = (f: Finding) => `${f.code}|${f.span.start}|${f.span.end}|${f.message}`;
    const known = new Set(input.findings.map(key));
    const added = c.findings.filter((f) => !known.has(key(f)));
    if (added.length > 0) input.findings = sortFindings([...input.findings, ...added]);
  }
  for (const e of errors) io.stderr(`daemonset-lens: ${e}\n`);
  if (inputs.length === 0 && errors.length === 0) {
    io.stderr(`daemonset-lens: no *.yaml, *.yml or *.json files found in ${paths.map((p) => `'${p}'`).join(', ')}\n`);
  }

  if (format === 'json') io.stdout(JSON.stringify(toJson(checked, errors)) + '\n');
  else if (format === 'sarif') io.stdout(JSON.stringify(toSarif(checked, io.cwd, errors), null, 2) + '\n');
  else {
    for (const f of checked) for (const line of toTextLines(f)) io.stdout(line + '\n');
    io.stderr(summary(checked, errors.length) + '\n');
  }

  if (errors.length > 0) return EXIT_USAGE;
  return checked.some((f) => f.findings.some((d) => d.severity === 'error')) ? EXIT_FINDINGS : EXIT_OK;
}

const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];

/** `--rules id=severity,…`: per-rule severities, for the rules and the engine's own codes. */
export function parseRuleSeverities(text: string): Record<string, SeveritySetting> {
  const known = new Set([...RULES.map((r) => r.id), ...ENGINE_CODES.map((c) => c.id)]);
  const out: Record<string, SeveritySetting> = {};
  for (const part of text.split(',')) {
    const item = part.trim();
    if (!item) continue;
    const m = /^([a-z0-9-]+)=([a-z]+)$/.exec(item);
    if (!m) throw new UsageError(`--rules: '${item}' is not rule-id=severity`);
    if (!known.has(m[1])) throw new UsageError(`--rules: unknown rule '${m[1]}'`);
    if (!SEVERITY_SETTINGS.includes(m[2] as SeveritySetting)) throw new UsageError(`--rules: '${m[2]}' is not one of ${SEVERITY_SETTINGS.join(', ')}`);
    out[m[1]] = m[2] as SeveritySetting;
  }
  return out;
}

/** Checks one text; findings sorted by position. */
export function checkText(input: InputFile, text: string, options: ValidateOptions = {}, chunkCache?: ChunkCache, partial = false): CheckedFile {
  const uri = input.absPath ? pathToFileURL(input.absPath).href : 'stdin:' + STDIN_LABEL;
  // A patch listed in a kustomization is partial whatever it looks like (the engine also guesses).
  const model = parseDocument(uri, text, undefined, chunkCache, partial ? { partial: true } : {});
  // The CLI prints no fixes: the rules need not build them.
  const all = validate(model, { fixes: false, ...options });
  // A node list (a cluster file among the inputs) gets the cluster reader's findings: a taint typo there
  // silently changes every placement.
  if (model.objects.some((o) => o.kind === 'Node')) all.push(...parseCluster(model).findings);
  return { file: input.label, absPath: input.absPath, text, findings: sortFindings(all) };
}

/** Findings by position (a stable sort: those at one span keep their order). */
function sortFindings(all: readonly Finding[]): Finding[] {
  return all
    .map((f, i) => ({ f, i }))
    .sort((a, b) => a.f.span.start - b.f.span.start || a.f.span.end - b.f.span.end || a.i - b.i)
    .map((x) => x.f);
}

export { displayMessage };

/** `file:line:col: severity rule-id message`, 1-based like compilers. */
export function toTextLines(file: CheckedFile): string[] {
  const index = new LineIndex(file.text);
  return file.findings.map((f) => {
    const p = index.positionAt(f.span.start);
    return `${file.file}:${p.line + 1}:${p.character + 1}: ${f.severity} ${f.code} ${displayMessage(f)}`;
  });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * One line for stderr: counts by severity and files, and how many paths could not be read (never
 * "No problems" then: those paths were not checked at all).
 */
export function summary(files: readonly CheckedFile[], unreadable = 0): string {
  const line = findingsSummary(files);
  if (unreadable === 0) return line;
  const notRead = `${plural(unreadable, 'path')} could not be read`;
  if (files.length === 0) return `${notRead}; no file was checked.`;
  return line.startsWith('No problems') ? `${notRead}; no problems in the ${plural(files.length, 'file')} checked.` : `${line.replace(/\.$/, '')}; ${notRead}.`;
}

function findingsSummary(files: readonly CheckedFile[]): string {
  const count = (s: Severity) => files.reduce((n, f) => n + f.findings.filter((d) => d.severity === s).length, 0);
  const errors = count('error');
  const warnings = count('warning');
  const others = count('information') + count('hint');
  const withProblems = files.filter((f) => f.findings.length > 0).length;
  const checked = plural(files.length, 'file');
  if (errors + warnings + others === 0) return `No problems in ${checked} checked.`;
  const parts = [plural(errors, 'error'), plural(warnings, 'warning')];
  if (others) parts.push(plural(others, 'note'));
  return `${parts.join(', ')} in ${withProblems} of ${checked} checked.`;
}

export function toJson(files: readonly CheckedFile[], unreadable: readonly string[] = []): JsonReport {
  const report: JsonReport = {
    files: files.map((file) => {
      const index = new LineIndex(file.text);
      return {
        file: file.file,
        diagnostics: file.findings.map((f) => ({
          code: f.code,
          severity: f.severity,
          message: f.message,
          path: f.path,
          range: { start: index.positionAt(f.span.start), end: index.positionAt(f.span.end) },
        })),
      };
    }),
  };
  if (unreadable.length > 0) report.unreadable = [...unreadable];
  return report;
}

// ---------------------------------------------------------------------------------------------
// SARIF 2.1.0

export { ENGINE_CODES };

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = PACKAGE_HOMEPAGE.replace(/#.*$/, '');

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: 'error' | 'warning' | 'note' };
}

/** A SARIF 2.1.0 log: one run, one rule per rule id, 1-based regions, URIs relative to the working folder. */
export function toSarif(files: readonly CheckedFile[], cwd: string, unreadable: readonly string[] = []): Record<string, unknown> {
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  const addRule = (id: string, description: string, help: string, severity: Severity) => {
    if (ruleIndex.has(id)) return;
    ruleIndex.set(id, rules.length);
    rules.push({
      id,
      name: id.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''),
      shortDescription: { text: description },
      fullDescription: { text: help || description },
      help: { text: help || description },
      defaultConfiguration: { level: SARIF_LEVEL[severity] },
    });
  };
  for (const r of RULES) addRule(r.id, r.description, r.help, r.defaultSeverity);
  for (const c of ENGINE_CODES) addRule(c.id, c.description, c.help, c.id === 'yaml-warning' || c.id === 'internal-error' ? 'warning' : c.id === 'template-not-validated' ? 'information' : 'error');

  const results: unknown[] = [];
  for (const file of files) {
    const index = new LineIndex(file.text);
    const artifactLocation = artifactLocationOf(file);
    for (const f of file.findings) {
      // Codes unknown to both lists still get a rule (described by their first message), so every result has a ruleIndex.
      addRule(f.code, f.message, '', f.severity);
      const start = index.positionAt(f.span.start);
      const end = index.positionAt(Math.max(f.span.end, f.span.start));
      const location: Record<string, unknown> = {
        physicalLocation: {
          artifactLocation,
          region: { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 },
        },
      };
      if (f.path) location.logicalLocations = [{ fullyQualifiedName: f.path, kind: 'member' }];
      results.push({
        ruleId: f.code,
        ruleIndex: ruleIndex.get(f.code),
        level: SARIF_LEVEL[f.severity],
        message: { text: displayMessage(f) },
        locations: [location],
      });
    }
  }
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'daemonset-lens', version: PACKAGE_VERSION, semanticVersion: PACKAGE_VERSION, informationUri: INFORMATION_URI, rules } },
      originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd.endsWith('/') ? cwd : cwd + '/').href } },
      columnKind: 'utf16CodeUnits',
      results,
      // Paths that could not be read were not analysed: SARIF says so with a failed invocation.
      ...(unreadable.length > 0
        ? { invocations: [{ executionSuccessful: false, toolExecutionNotifications: unreadable.map((text) => ({ level: 'error', message: { text } })) }] }
        : {}),
    }],
  };
}

/** Relative paths stay relative (GitHub resolves them against the repository root); others become file: URIs. */
function artifactLocationOf(file: CheckedFile): { uri: string; uriBaseId?: string } {
  if (!file.absPath) return { uri: 'stdin' };
  const label = file.file.replace(/\\/g, '/');
  if (label.startsWith('/') || /^[A-Za-z]:\//.test(label)) return { uri: pathToFileURL(file.absPath).href };
  return { uri: label.replace(/^(\.\/)+/, '').split('/').map((seg) => encodeURIComponent(seg)).join('/'), uriBaseId: '%SRCROOT%' };
}
