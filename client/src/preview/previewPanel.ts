/**
 * The placement preview beside the editor (like Markdown's preview): follows the active manifest and
 * the DaemonSet under the cursor, asks the server for `daemonset/placement`, turns the answer into
 * a view model and posts it to the webview. Updates on unsaved edits and cluster-file changes.
 */
import * as vscode from 'vscode';
import { type AddTolerationParams, type AddTolerationResult, type Location, type PlacementResult, type Taint } from '../../../server/src/protocol';
import { buildPreviewModel, type HostMessage, type PanelCommand, type PreviewModel, type WebviewMessage } from './viewModel';

/** What the panel needs from the extension. */
export interface PreviewHost {
  extensionUri: vscode.Uri;
  /** Sends `daemonset/placement` to the language server. */
  request(params: { uri: string; position?: { line: number; character: number } }): Promise<PlacementResult | null>;
  /** Sends `daemonset/addToleration` (used when no quick fix offers the toleration). */
  addToleration(params: AddTolerationParams): Promise<AddTolerationResult | null>;
  /** Opens the generated pod for a node (the "Show the pod created on node…" document). */
  showPod(uri: vscode.Uri, index: number, node: string): Promise<void>;
  log(message: string): void;
}

const EDIT_DEBOUNCE_MS = 250;
const CURSOR_DEBOUNCE_MS = 120;
const CLUSTER_DEBOUNCE_MS = 100;
const PANEL_COMMANDS: ReadonlySet<PanelCommand> = new Set(['selectClusterFile', 'createSampleClusterFile', 'explainClusterFile']);

/** Manifests the preview follows: YAML and JSON documents. */
export function isManifestDocument(doc: vscode.TextDocument): boolean {
  return (doc.languageId === 'yaml' || doc.languageId === 'json') && (doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled');
}

export class PlacementPreview implements vscode.Disposable {
  static readonly viewType = 'daemonsetLens.placementPreview';
  private static current: PlacementPreview | undefined;

  /** Opens (or reveals) the preview beside the editor for `doc`, optionally on one DaemonSet. */
  static show(host: PreviewHost, doc: vscode.TextDocument | undefined, dsIndex?: number): PlacementPreview {
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    if (PlacementPreview.current) {
      PlacementPreview.current.panel.reveal(column, true);
    } else {
      const panel = vscode.window.createWebviewPanel(PlacementPreview.viewType, 'DaemonSet Placement', { viewColumn: column, preserveFocus: true }, PlacementPreview.webviewOptions(host.extensionUri));
      PlacementPreview.current = new PlacementPreview(panel, host);
    }
    const preview = PlacementPreview.current;
    if (doc) preview.follow(doc, dsIndex);
    return preview;
  }

  /**
   * Brings a preview back after a window reload (WebviewPanelSerializer): on the manifest it showed
   * (the webview's saved `uri`), else on the active manifest.
   */
  static async revive(panel: vscode.WebviewPanel, host: PreviewHost, state?: unknown): Promise<PlacementPreview> {
    panel.webview.options = PlacementPreview.webviewOptions(host.extensionUri);
    PlacementPreview.current?.dispose();
    const preview = new PlacementPreview(panel, host);
    PlacementPreview.current = preview;
    const saved = (state as { uri?: unknown } | undefined)?.uri;
    // Opened (not shown) so the language server has it: the panel itself may be what has focus.
    const doc = typeof saved === 'string' && saved
      ? await Promise.resolve(vscode.workspace.openTextDocument(vscode.Uri.parse(saved, true))).catch(() => undefined)
      : undefined;
    if (preview.disposed || preview.uri) return preview;
    const editor = vscode.window.activeTextEditor;
    if (doc && isManifestDocument(doc)) preview.follow(doc);
    else if (editor && isManifestDocument(editor.document)) preview.follow(editor.document);
    return preview;
  }

  static get active(): PlacementPreview | undefined {
    return PlacementPreview.current;
  }

  static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      retainContextWhenHidden: false,
      enableFindWidget: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'client', 'out'), vscode.Uri.joinPath(extensionUri, 'client', 'media')],
    };
  }

  private readonly disposables: vscode.Disposable[] = [];
  private uri: vscode.Uri | undefined;
  /** The DaemonSet the user picked (code lens, summary row) until the cursor moves. */
  private pinnedIndex: number | undefined;
  /** The cursor in the followed manifest, kept while another editor (the cluster file) is active. */
  private lastPosition: vscode.Position | undefined;
  private result: PlacementResult | null = null;
  private model: PreviewModel | undefined;
  private ready = false;
  private seq = 0;
  /** Bumped by every switch and probe: only the latest probe may switch. */
  private probeSeq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  private constructor(private readonly panel: vscode.WebviewPanel, private readonly host: PreviewHost) {
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: WebviewMessage) => void this.onMessage(m).catch((e) => host.log(`Preview: ${String(e)}`))),
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible) this.schedule(0);
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && isManifestDocument(editor.document) && editor.document.uri.toString() !== this.uri?.toString()) this.follow(editor.document, undefined, true);
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document.uri.toString() !== this.uri?.toString()) return;
        this.lastPosition = e.selections[0].active;
        if (e.kind === undefined && this.pinnedIndex !== undefined) return;
        if (this.cursorIndex(e.selections[0].active) === this.currentIndex()) return;
        this.pinnedIndex = undefined;
        this.schedule(CURSOR_DEBOUNCE_MS);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === this.uri?.toString() && e.contentChanges.length > 0) this.schedule(EDIT_DEBOUNCE_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.toString() === this.uri?.toString() && doc.uri.scheme === 'untitled') this.follow(undefined);
      }),
    );
  }

  /** Follows another manifest. With `keepIfEmpty`, a file without DaemonSets (the cluster file, a ConfigMap) does not replace the one shown. */
  follow(doc: vscode.TextDocument | undefined, dsIndex?: number, keepIfEmpty = false): void {
    if (!doc) {
      this.uri = undefined;
      this.result = null;
      this.post(buildPreviewModel(null));
      return;
    }
    if (keepIfEmpty && this.uri) {
      void this.probe(doc);
      return;
    }
    this.switchTo(doc.uri, dsIndex);
  }

  private switchTo(uri: vscode.Uri, dsIndex?: number): void {
    this.probeSeq++;
    if (uri.toString() !== this.uri?.toString()) {
      this.result = null;
      this.lastPosition = undefined;
    }
    this.uri = uri;
    this.pinnedIndex = dsIndex;
    this.panel.title = `Placement: ${baseName(uri)}`;
    this.schedule(0);
  }

  /** Switches to `doc` only if it holds a DaemonSet (or is the only thing to show). */
  private async probe(doc: vscode.TextDocument): Promise<void> {
    const mine = ++this.probeSeq;
    if (this.result?.cluster && this.result.cluster.uri === doc.uri.toString()) return;
    const r = await this.host.request({ uri: doc.uri.toString() }).catch(() => null);
    // Another editor became active (or the preview switched) meanwhile: this answer is for an editor left behind.
    if (this.disposed || mine !== this.probeSeq) return;
    if (r && r.daemonSets.length > 0) this.switchTo(doc.uri);
  }

  /** Recomputes now (cluster file or settings changed). */
  refresh(): void {
    this.schedule(CLUSTER_DEBOUNCE_MS);
  }

  /** Recomputes if it shows one of these manifests (they became or stopped being listed patches). */
  refreshFor(uris: readonly string[]): void {
    if (this.uri && uris.includes(this.uri.toString())) this.schedule(CLUSTER_DEBOUNCE_MS);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.update();
    }, ms);
  }

  private editorFor(uri: vscode.Uri | undefined): vscode.TextEditor | undefined {
    if (!uri) return undefined;
    const key = uri.toString();
    const active = vscode.window.activeTextEditor;
    if (active?.document.uri.toString() === key) return active;
    return vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === key);
  }

  private currentIndex(): number | undefined {
    const r = this.result;
    if (!r || r.activeIndex < 0) return undefined;
    return r.daemonSets[r.activeIndex]?.index;
  }

  /** The DaemonSet index under a position, from the last answer (no server round trip for cursor moves inside one DaemonSet). */
  private cursorIndex(pos: vscode.Position): number | undefined {
    const r = this.result;
    if (!r) return undefined;
    let best: number | undefined = r.daemonSets[0]?.index;
    for (const ds of r.daemonSets) {
      const range = toVsRange(ds.range);
      if (range.contains(pos)) return ds.index;
      if (range.start.isBeforeOrEqual(pos)) best = ds.index;
    }
    return best;
  }

  private async update(): Promise<void> {
    if (this.disposed || !this.panel.visible) return;
    const uri = this.uri;
    if (!uri) {
      this.post(buildPreviewModel(null));
      return;
    }
    const mine = ++this.seq;
    const editor = this.editorFor(uri);
    let position: vscode.Position | undefined = editor?.selection.active ?? this.lastPosition;
    if (this.pinnedIndex !== undefined && this.result) {
      const ds = this.result.daemonSets.find((d) => d.index === this.pinnedIndex);
      if (ds) position = toVsRange(ds.nameRange).start;
    }
    let result: PlacementResult | null;
    try {
      result = await this.host.request({ uri: uri.toString(), position: position && { line: position.line, character: position.character } });
    } catch (e) {
      this.host.log(`Placement request failed: ${String(e)}`);
      return;
    }
    if (this.disposed || mine !== this.seq || uri.toString() !== this.uri?.toString()) return;
    // A pinned DaemonSet that is not in the first answer yet (just opened from a code lens): ask once more with its position.
    if (this.pinnedIndex !== undefined && result && !this.result) {
      const ds = result.daemonSets.find((d) => d.index === this.pinnedIndex);
      const current = result.daemonSets[result.activeIndex];
      if (ds && current && ds.index !== current.index) result = { ...result, activeIndex: result.daemonSets.indexOf(ds) };
    }
    const previous = this.result;
    this.result = result;
    this.post(buildPreviewModel(result, { previous }));
  }

  private post(model: PreviewModel): void {
    this.model = model;
    if (this.ready) void this.panel.webview.postMessage({ type: 'update', model } satisfies HostMessage);
  }

  private async onMessage(m: WebviewMessage): Promise<void> {
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        if (this.model) void this.panel.webview.postMessage({ type: 'update', model: this.model } satisfies HostMessage);
        else this.schedule(0);
        return;
      case 'reveal':
        return this.reveal(m.target);
      case 'selectDaemonSet': {
        const ds = this.result?.daemonSets.find((d) => d.index === m.index);
        if (!ds || !this.uri) return;
        this.pinnedIndex = ds.index;
        await this.reveal({ uri: this.uri.toString(), range: ds.nameRange });
        this.schedule(0);
        return;
      }
      case 'addToleration':
        return this.addToleration(m.index, m.taint);
      case 'showPod':
        if (this.uri && typeof m.node === 'string') await this.host.showPod(this.uri, m.index, m.node);
        return;
      case 'command':
        if (PANEL_COMMANDS.has(m.command)) await vscode.commands.executeCommand(`daemonsetLens.${m.command}`);
        return;
    }
  }

  /** Opens a link target: only the manifest shown or the cluster file in use. */
  private async reveal(target: Location): Promise<void> {
    if (!target || typeof target.uri !== 'string') return;
    const allowed = new Set([this.uri?.toString(), this.result?.cluster?.uri].filter(Boolean));
    if (!allowed.has(target.uri)) return;
    const uri = vscode.Uri.parse(target.uri, true);
    const editor = this.editorFor(uri);
    const column = editor?.viewColumn ?? (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
    const range = toVsRange(target.range);
    await vscode.window.showTextDocument(uri, { viewColumn: column, selection: range, preserveFocus: false, preview: false });
  }

  /** Runs the server's quick fix that adds a toleration for `taint` to DaemonSet `index`. */
  private async addToleration(index: number, taint: Taint): Promise<void> {
    const ds = this.result?.daemonSets.find((d) => d.index === index);
    if (!ds || !this.uri || !taint || typeof taint.key !== 'string') return;
    const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
      'vscode.executeCodeActionProvider', this.uri, toVsRange(ds.range), vscode.CodeActionKind.QuickFix.value, 50,
    ) ?? [];
    const fix = pickTolerationFix(actions, taint);
    if (fix) {
      if (fix.edit) await vscode.workspace.applyEdit(fix.edit);
      if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
      return;
    }
    // No diagnostic offers it (no cluster file, or the taint is not blocking anything yet): the same minimal edit, asked directly.
    const r = await this.host.addToleration({ uri: this.uri.toString(), index, taint: { key: taint.key, effect: taint.effect, ...(taint.value ? { value: taint.value } : {}) } });
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.uri?.toString());
    if (r && doc && (r.version === undefined || r.version === doc.version)) {
      const edit = new vscode.WorkspaceEdit();
      for (const e of r.edits) edit.replace(doc.uri, toVsRange(e.range), e.newText);
      await vscode.workspace.applyEdit(edit);
    } else {
      const snippet = `- key: ${taint.key}\n  operator: Exists\n  effect: ${taint.effect}`;
      const choice = await vscode.window.showInformationMessage(
        `No quick fix adds a toleration for ${taint.key}:${taint.effect} here. Add this under spec.template.spec.tolerations:\n${snippet}`,
        'Copy Toleration',
      );
      if (choice) await vscode.env.clipboard.writeText(snippet);
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = makeNonce();
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.host.extensionUri, 'client', 'out', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.host.extensionUri, 'client', 'media', 'preview.css'));
    const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${webview.cspSource}; img-src ${webview.cspSource}`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>DaemonSet Placement</title>
</head>
<body>
<main id="app" aria-label="DaemonSet placement"></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (PlacementPreview.current === this) PlacementPreview.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** The quick fix that adds a toleration for this taint: its title names the key (and the effect when several match). */
export function pickTolerationFix(actions: ReadonlyArray<vscode.CodeAction | vscode.Command>, taint: Taint): vscode.CodeAction | undefined {
  const formatted = `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;
  const fixes = actions.filter((a): a is vscode.CodeAction => 'title' in a && !('command' in a && typeof (a as vscode.Command).command === 'string'))
    .filter((a) => /tolerat/i.test(a.title) && !/disable/i.test(a.title) && a.title.includes(taint.key));
  return fixes.find((a) => a.title.endsWith(formatted)) ?? fixes.find((a) => a.title.includes(`${taint.key}:${taint.effect}`));
}

function toVsRange(r: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

function baseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1) || uri.toString();
}

function makeNonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += chars[b % chars.length];
  return out;
}
