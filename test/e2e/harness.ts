/**
 * Drives a real VS Code workbench: code-server 4.100.3 (installed by scripts/install-editor.sh) with
 * the packaged VSIX installed into fresh user-data/extensions/config folders, shown in Debian's
 * Chromium through playwright-core. One `EditorSession` per test file; every step saves a screenshot
 * under test-artifacts/e2e/, a failing step also saves the language server's and code-server's logs.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';

export const REPO = resolve(__dirname, '../..');
export const ARTIFACTS = join(REPO, 'test-artifacts', 'e2e');
export const CODE_SERVER_VERSION = '4.100.3';
const CHROMIUM = process.env.DSL_CHROMIUM ?? '/usr/bin/chromium';

/** The code-server executable installed by scripts/install-editor.sh (same cache folder rule). */
export function codeServerBin(): string {
  const cache = process.env.DSL_CACHE ?? join(homedir(), '.cache', 'daemonset-lens');
  return join(cache, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server');
}

/** The packaged extension (`npm run package` writes it here). */
export function vsixPath(): string {
  return process.env.DSL_VSIX ?? join(REPO, 'daemonset-lens.vsix');
}

/** User settings that keep first-run UI from stealing focus (see the real-editor testing notes). */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'workbench.enableExperiments': false,
  'chat.commandCenter.enabled': false,
  'editor.minimap.enabled': false,
  'editor.hover.delay': 100,
  'files.autoSave': 'off',
  'window.restoreWindows': 'none',
};

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `fn` returns a truthy value; throws with `what` and the last value/error on timeout. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`);
    }
    await sleep(intervalMs);
  }
}

/** Folders of one run; all of them under one temp root removed on close. */
export interface RunDirs {
  root: string;
  userData: string;
  extensions: string;
  config: string;
  profile: string;
  workspace: string;
}

export function makeRunDirs(prefix: string, workspaceSource: string | undefined, settings: Record<string, unknown>): RunDirs {
  const root = mkdtempSync(join(tmpdir(), `dsl-${prefix}-`));
  const dirs: RunDirs = {
    root,
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    config: join(root, 'config.yaml'),
    profile: join(root, 'chromium'),
    workspace: join(root, 'workspace'),
  };
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  mkdirSync(dirs.extensions, { recursive: true });
  mkdirSync(dirs.profile, { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  // An explicit config file: without one code-server reads ~/.config/code-server/config.yaml (password auth).
  writeFileSync(dirs.config, 'auth: none\ncert: false\n');
  if (workspaceSource) cpSync(workspaceSource, dirs.workspace, { recursive: true });
  else mkdirSync(dirs.workspace);
  return dirs;
}

export async function installVsix(bin: string, dirs: RunDirs, vsix: string): Promise<void> {
  if (!existsSync(vsix)) throw new Error(`${vsix} not found: run \`npm run package\` first`);
  const { stdout, stderr } = await promisify(execFile)(bin, ['--config', dirs.config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', vsix], { timeout: 60_000 });
  if (!/successfully installed/i.test(stdout + stderr)) throw new Error(`Installing ${vsix} failed:\n${stdout}\n${stderr}`);
}

/** A running code-server in its own process group. */
export interface CodeServer {
  port: number;
  url: string;
  proc: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

const liveGroups = new Set<number>();
process.on('exit', () => {
  // Last resort when a test process dies without closing its sessions.
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

export async function startCodeServer(bin: string, dirs: RunDirs, logFile: string, host = '127.0.0.1', port?: number): Promise<CodeServer> {
  port ??= await freePort();
  mkdirSync(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile);
  const args = ['--config', dirs.config, '--bind-addr', `${host}:${port}`, '--auth', 'none', '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--ignore-last-opened'];
  // detached: the child calls setsid(), so it leads a process group of its own that holds the
  // extension host and the language server too; killing the group stops them all.
  const proc = spawn(bin, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VSCODE_CLI: undefined } });
  proc.stdout!.pipe(log);
  proc.stderr!.pipe(log);
  const pgid = proc.pid!;
  liveGroups.add(pgid);
  let exited = false;
  const exitedPromise = new Promise<void>((r) => proc.once('exit', () => ((exited = true), r())));
  const url = `http://${host}:${port}`;
  const stop = async () => {
    if (!liveGroups.has(pgid)) return;
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    await Promise.race([exitedPromise, sleep(5000)]);
    try {
      process.kill(-pgid, 'SIGKILL'); // stragglers of the group (extension host, language server)
    } catch {
      /* group is empty */
    }
    liveGroups.delete(pgid);
    log.end();
  };
  try {
    await waitFor(`code-server /healthz on ${url}`, async () => {
      if (exited) throw new Error(`code-server exited early; see ${logFile}`);
      const res = await fetch(`${url}/healthz`).catch(() => undefined);
      return res?.ok;
    }, 30_000, 150);
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, url, proc, logFile, stop };
}

export interface SessionOptions {
  /** Names artifacts: test-artifacts/e2e/<name>/… */
  name: string;
  /** Folder copied into a temp dir and opened; defaults to the repository's examples/. */
  workspace?: string;
  settings?: Record<string, unknown>;
  /** Extra URL query (e.g. the extension-test payload), given the running server; `folder` is always set. */
  query?: (server: CodeServer, dirs: RunDirs) => Record<string, string>;
  /** Runs before the workbench URL is opened (e.g. page.exposeFunction). */
  beforeOpen?: (page: Page) => Promise<void>;
  /** Skip waiting for the explorer (a test payload may close the window). */
  noWait?: boolean;
  vsix?: string | false;
}

export class EditorSession {
  private stepNo = 0;
  readonly consoleLines: string[] = [];
  readonly timings: string[] = [];
  private closed = false;

  private constructor(
    readonly name: string,
    readonly dirs: RunDirs,
    readonly server: CodeServer,
    readonly context: BrowserContext,
    readonly page: Page,
    readonly artifacts: string,
  ) {}

  static async start(opts: SessionOptions): Promise<EditorSession> {
    const bin = codeServerBin();
    if (!existsSync(bin)) throw new Error(`code-server not found at ${bin}: run \`bash scripts/install-editor.sh\``);
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: run \`bash scripts/install-editor.sh\``);
    const artifacts = join(ARTIFACTS, opts.name);
    rmSync(artifacts, { recursive: true, force: true });
    mkdirSync(artifacts, { recursive: true });
    const dirs = makeRunDirs('e2e', opts.workspace ?? join(REPO, 'examples'), opts.settings ?? {});
    const vsix = opts.vsix === undefined ? vsixPath() : opts.vsix;
    if (vsix) await installVsix(bin, dirs, vsix);
    const server = await startCodeServer(bin, dirs, join(artifacts, 'code-server.log'));
    let context: BrowserContext | undefined;
    try {
      context = await chromium.launchPersistentContext(dirs.profile, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1440, height: 900 },
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      const page = context.pages()[0] ?? (await context.newPage());
      // Generous: on a loaded 2-core machine the first diagnostics can take tens of seconds.
      page.setDefaultTimeout(45_000);
      const session = new EditorSession(opts.name, dirs, server, context, page, artifacts);
      page.on('console', (m) => session.consoleLines.push(`[${m.type()}] ${m.text()}`));
      page.on('pageerror', (e) => session.consoleLines.push(`[pageerror] ${e.message}`));
      await opts.beforeOpen?.(page);
      const query = new URLSearchParams({ folder: dirs.workspace, ...opts.query?.(server, dirs) });
      await page.goto(`${server.url}/?${query}`);
      if (!opts.noWait) await session.waitForWorkbench();
      return session;
    } catch (e) {
      await context?.close().catch(() => undefined);
      await server.stop();
      throw e;
    }
  }

  /** The workbench is up and the explorer shows the workspace. */
  async waitForWorkbench(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  }

  /** Runs one step of a test: a screenshot after it; on failure a screenshot and the logs, then rethrows. */
  async step<T>(title: string, fn: () => Promise<T>): Promise<T> {
    const n = String(++this.stepNo).padStart(2, '0');
    const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    const started = Date.now();
    try {
      const result = await fn();
      await this.page.screenshot({ path: join(this.artifacts, `${n}-${slug}.png`) });
      this.timings.push(`${n} ${title}: ${Date.now() - started} ms`);
      return result;
    } catch (e) {
      await this.page.screenshot({ path: join(this.artifacts, `${n}-${slug}-FAILED.png`) }).catch(() => undefined);
      this.saveLogs(`${n}-${slug}`, e);
      throw e;
    }
  }

  /** Copies the workbench and extension-host logs (the language server's output channel among them). */
  saveLogs(prefix: string, error?: unknown): void {
    const out = join(this.artifacts, `${prefix}-logs`);
    mkdirSync(out, { recursive: true });
    if (error !== undefined) writeFileSync(join(out, 'error.txt'), error instanceof Error ? `${error.stack ?? error.message}\n` : `${String(error)}\n`);
    writeFileSync(join(out, 'browser-console.log'), this.consoleLines.join('\n'));
    try {
      cpSync(this.server.logFile, join(out, 'code-server.log'));
    } catch {
      /* no log yet */
    }
    const logsRoot = join(this.dirs.userData, 'logs');
    for (const f of walk(logsRoot)) {
      const rel = relative(logsRoot, f);
      // The language client's output channel ("DaemonSet Lens…") and the extension host's own log.
      if (/daemonset|lens|exthost|remoteagent|server/i.test(rel)) {
        const dest = join(out, rel.replace(/[\\/]/g, '__'));
        cpSync(f, dest);
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.context.close().catch(() => undefined);
    await this.server.stop();
    writeFileSync(join(this.artifacts, 'browser-console.log'), this.consoleLines.join('\n'));
    writeFileSync(join(this.artifacts, 'timings.txt'), `${this.timings.join('\n')}\n`);
    rmSync(this.dirs.root, { recursive: true, force: true });
  }

  // --- workbench helpers --------------------------------------------------------------------

  path(rel: string): string {
    return join(this.dirs.workspace, rel);
  }

  readFile(rel: string): string {
    return readFileSync(this.path(rel), 'utf8');
  }

  writeFile(rel: string, text: string): void {
    writeFileSync(this.path(rel), text);
  }

  /** Opens a workspace file with Quick Open and waits for its editor tab to be active. */
  async openFile(rel: string): Promise<void> {
    // A file the test has just written joins Quick Open's file list only once the workbench's file
    // watcher has reported it; until then the list is the one searched before. Ask again until it is there.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.quickInput('Control+P', rel, basename(rel), 10_000);
        break;
      } catch (e) {
        if (attempt >= 4) throw e;
      }
    }
    await this.page.keyboard.press('Enter');
    await this.activeTab(basename(rel)).waitFor();
    await this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor();
  }

  /**
   * Opens a quick input with `key`, types `text` once the input has focus (keys typed earlier are
   * lost), checks that it arrived, and waits for the focused row to show `rowText`.
   */
  private async quickInput(key: string, text: string, rowText?: string, rowTimeout?: number): Promise<void> {
    const page = this.page;
    await page.keyboard.press('Escape');
    await page.keyboard.press(key);
    const input = page.locator('.quick-input-widget input:focus');
    await input.waitFor();
    await page.keyboard.type(text);
    await waitFor(`"${text}" in the quick input`, async () => (await input.inputValue()).endsWith(text));
    if (rowText !== undefined) await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: rowText }).waitFor({ timeout: rowTimeout });
  }

  /** The active tab of the active editor group, if it shows `fileName`. */
  activeTab(fileName: string): Locator {
    return this.page.locator(`.editor-group-container.active .tab.active[data-resource-name="${fileName.replace(/["\\]/g, '\\$&')}"]`);
  }

  /** The active text editor (the one in the active group). */
  editor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Visible text of the active editor, with VS Code's non-breaking spaces normalised. */
  async editorText(): Promise<string> {
    return (await this.editor().locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
  }

  /** Moves the cursor to a 1-based line and column with "Go to Line/Column". */
  async goTo(line: number, column = 1): Promise<void> {
    await this.quickInput('Control+G', `${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Moves the cursor onto the n-th (0-based) occurrence of `needle` in the file on disk, `offset` characters in. */
  async goToText(rel: string, needle: string, offset = 1, occurrence = 0): Promise<{ line: number; column: number }> {
    const text = this.readFile(rel);
    let at = -1;
    for (let i = 0; i <= occurrence; i++) {
      at = text.indexOf(needle, at + 1);
      if (at < 0) throw new Error(`"${needle}" (occurrence ${occurrence}) not in ${rel}`);
    }
    const before = text.slice(0, at + offset);
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    await this.goTo(line, column);
    return { line, column };
  }

  /** Runs a command by its palette title. */
  async runCommand(title: string): Promise<void> {
    await this.quickInput('F1', title, title);
    await this.page.keyboard.press('Enter');
  }

  /** Severities of the squiggles drawn on a visible 1-based line of the active editor. */
  async squigglesOnLine(line: number): Promise<string[]> {
    // No named inner functions in here: tsx would wrap them in a `__name` helper the page lacks.
    return this.editor().evaluate((editor, lineNo) => {
      const number = Array.from(editor.querySelectorAll('.margin-view-overlays .line-numbers')).find((e) => e.textContent?.trim() === String(lineNo));
      const row = number?.closest('.margin-view-overlays > div') as HTMLElement | null | undefined;
      if (!row) return [];
      const overlay = Array.from(editor.querySelectorAll<HTMLElement>('.view-overlays > div')).find((d) => d.style.top === row.style.top);
      if (!overlay) return [];
      const kinds: Record<string, string> = { 'squiggly-error': 'error', 'squiggly-warning': 'warning', 'squiggly-info': 'information', 'squiggly-hint': 'hint' };
      return Array.from(overlay.querySelectorAll('[class*="squiggly-"]')).flatMap((e) => Array.from(e.classList).filter((c) => c in kinds).map((c) => kinds[c]));
    }, line);
  }

  /** Picks an entry of the open code-action menu by keyboard (the menu's pointer block eats clicks). */
  async chooseAction(title: string): Promise<void> {
    const rows = this.page.locator('.action-widget .monaco-list-row.action');
    await rows.first().waitFor();
    const count = await rows.count();
    for (let i = 0; i <= count; i++) {
      const focused = this.page.locator('.action-widget .monaco-list-row.focused');
      if (((await focused.getAttribute('aria-label')) ?? (await focused.innerText())).includes(title)) {
        await this.page.keyboard.press('Enter');
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`No code action "${title}" in: ${(await rows.allInnerTexts()).join(' | ')}`);
  }

  /** Problems panel rows (opens the panel). */
  async problems(): Promise<Locator> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    await panel.waitFor();
    return panel.locator('.monaco-list-row');
  }

  /** Saves the active editor. */
  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.editor-group-container.active .tab.active.dirty').waitFor({ state: 'detached' });
  }

  /** The webview of the placement preview, two iframes deep. */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}
