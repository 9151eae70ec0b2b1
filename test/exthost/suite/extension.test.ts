/**
 * Runs inside the extension host with the real `vscode` API, against the workspace in
 * test/exthost/workspace (a log shipper without the control-plane toleration and a cluster file).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'daemonset-lens.daemonset-lens';
const RULE = 'missing-control-plane-toleration';
const CP_KEY = 'node-role.kubernetes.io/control-plane';

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

function workspaceUri(rel: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return vscode.Uri.joinPath(folder.uri, rel);
}

/** Resolves with the uri's diagnostics once `pred` holds for them (checked now and on every change). */
function diagnosticsWhere(uri: vscode.Uri, pred: (ds: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = 20_000): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const ds = vscode.languages.getDiagnostics(uri);
      if (pred(ds)) {
        sub.dispose();
        clearTimeout(timer);
        resolve(ds);
        return true;
      }
      return false;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      sub.dispose();
      const now = vscode.languages.getDiagnostics(uri).map((d) => `${codeOf(d)}: ${d.message}`);
      reject(new Error(`timed out waiting for ${what}; diagnostics now: ${JSON.stringify(now)}`));
    }, timeoutMs);
    check();
  });
}

const hasRule = (ds: vscode.Diagnostic[]) => ds.some((d) => codeOf(d) === RULE);

/** `daemonsetLens.rules` is one object setting: rule id -> severity. */
async function setRuleSeverity(value: string | undefined): Promise<void> {
  const config = vscode.workspace.getConfiguration('daemonsetLens');
  const rules = { ...(config.inspect<Record<string, string>>('rules')?.globalValue ?? {}) };
  if (value === undefined) delete rules[RULE];
  else rules[RULE] = value;
  await config.update('rules', Object.keys(rules).length ? rules : undefined, vscode.ConfigurationTarget.Global);
}

describe('DaemonSet Lens in the extension host', () => {
  let ext: vscode.Extension<unknown>;
  const manifest = workspaceUri('log-agent.yaml');
  let original = '';

  before(async () => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is loaded`);
    ext = found;
    original = Buffer.from(await vscode.workspace.fs.readFile(manifest)).toString('utf8');
  });

  after(async () => {
    await setRuleSeverity(undefined);
    await vscode.workspace.fs.writeFile(manifest, Buffer.from(original, 'utf8'));
  });

  it('activates on a YAML file', async () => {
    const doc = await vscode.workspace.openTextDocument(manifest);
    await vscode.window.showTextDocument(doc);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('reports the missing control-plane toleration with its rule id, on the template spec key', async () => {
    const ds = await diagnosticsWhere(manifest, hasRule, `a ${RULE} diagnostic`);
    const d = ds.find((x) => codeOf(x) === RULE)!;
    const doc = await vscode.workspace.openTextDocument(manifest);
    // No `tolerations:` in the pod spec: reported on the template's `spec` key, never the whole document.
    assert.equal(doc.getText(d.range), 'spec');
    assert.equal(d.range.start.line, doc.getText().split('\n').findIndex((l) => l === '    spec:'));
    // Information when a cluster file is in use (untolerated-taint then names the nodes), else warning.
    assert.notEqual(d.severity, vscode.DiagnosticSeverity.Hint, `severity ${d.severity}`);
    assert.match(d.message, /control-plane/);
  });

  it('explains the control-plane taint on hover in the cluster file', async () => {
    const cluster = workspaceUri('cluster.yaml');
    const doc = await vscode.workspace.openTextDocument(cluster);
    const at = doc.getText().indexOf(`key: ${CP_KEY}`) + 'key: '.length + 3;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', cluster, doc.positionAt(at));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /control-plane/i);
    assert.match(text, /kubernetes\.io\/docs|kubernetes\.io\/.*taint/i, 'links to the Kubernetes docs');
  });

  it('offers a quick fix that adds the toleration, and the diagnostic goes away', async () => {
    const doc = await vscode.workspace.openTextDocument(manifest);
    const d = (await diagnosticsWhere(manifest, hasRule, `a ${RULE} diagnostic`)).find((x) => codeOf(x) === RULE)!;
    // The last argument resolves up to that many actions' edits (codeAction/resolve).
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', manifest, d.range, vscode.CodeActionKind.QuickFix.value, 50);
    // vscode.executeCodeActionProvider does not return `diagnostics`; the rule's fixes are the ones
    // at its range that add a control-plane toleration.
    const fixes = actions.filter((a) => a.edit && /toleration/i.test(a.title) && a.title.includes('control-plane') && !/^Disable/.test(a.title));
    const describe = (a: vscode.CodeAction) => `${a.title} [diagnostics: ${(a.diagnostics ?? []).map(codeOf).join(',')}; edit: ${a.edit ? a.edit.size : 'none'}; command: ${a.command?.command ?? 'none'}]`;
    assert.ok(fixes.length > 0, `quick fixes for ${RULE}: ${actions.map(describe).join(' | ')}`);
    const fix = fixes.find((a) => a.isPreferred) ?? fixes.find((a) => /toleration/i.test(a.title)) ?? fixes[0];
    assert.ok(await vscode.workspace.applyEdit(fix.edit!), `applied "${fix.title}"`);
    assert.match(doc.getText(), new RegExp(`key: "?${CP_KEY.replace(/\./g, '\\.')}"?`));
    await diagnosticsWhere(manifest, (ds) => !hasRule(ds), `${RULE} to disappear after "${fix.title}"`);
    await doc.save();
  });

  it('applies a rule severity setting live', async () => {
    // Restore the manifest through the editor that has it open (written behind its back, the file
    // reaches the document only when the editor's file watcher notices, which may take a while).
    const doc = await vscode.workspace.openTextDocument(manifest);
    const restore = new vscode.WorkspaceEdit();
    restore.replace(manifest, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
    assert.ok(await vscode.workspace.applyEdit(restore), 'the manifest is restored');
    await doc.save();
    await diagnosticsWhere(manifest, hasRule, `${RULE} back after restoring the file`);
    await setRuleSeverity('error');
    await diagnosticsWhere(manifest, (ds) => ds.some((d) => codeOf(d) === RULE && d.severity === vscode.DiagnosticSeverity.Error), `${RULE} as an error`);
    await setRuleSeverity('off');
    await diagnosticsWhere(manifest, (ds) => !hasRule(ds), `${RULE} turned off`);
    await setRuleSeverity(undefined);
    await diagnosticsWhere(manifest, hasRule, `${RULE} back at its default severity`);
  });

  it('registers every contributed command', async () => {
    const contributed: { command: string }[] = (ext.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? [];
    assert.ok(contributed.length > 0, 'the manifest contributes commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], 'contributed commands without a registration');
  });

  it('opens the placement preview to the side from its command', async () => {
    const commands: { command: string; title: string }[] = (ext.packageJSON as { contributes?: { commands?: { command: string; title: string }[] } }).contributes?.commands ?? [];
    const open = commands.find((c) => /placement preview/i.test(c.title) && /side/i.test(c.title)) ?? commands.find((c) => /placement preview/i.test(c.title));
    assert.ok(open, 'a placement preview command is contributed');
    const doc = await vscode.workspace.openTextDocument(manifest);
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    await vscode.commands.executeCommand(open.command);
    const webviewTab = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview);
    const deadline = Date.now() + 10_000;
    while (!webviewTab() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const tab = webviewTab();
    assert.ok(tab, 'a webview tab opened');
    assert.notEqual(tab.group.viewColumn, vscode.ViewColumn.One, 'beside the editor');
  });
});
