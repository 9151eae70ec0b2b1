/**
 * The `daemonsetLens.hasDaemonSet` context key, for the editor-title preview button: true when the
 * active YAML/JSON editor holds a DaemonSet. A quick text test, not a parse: it only shows a button.
 */
import * as vscode from 'vscode';

export const HAS_DAEMONSET = 'daemonsetLens.hasDaemonSet';

const YAML_KIND = /^[ \t]*(?:-[ \t]+)?kind:[ \t]*["']?DaemonSet["']?[ \t]*(?:#.*)?\r?$/m;
const JSON_KIND = /"kind"\s*:\s*"DaemonSet"/;

export function holdsDaemonSet(text: string): boolean {
  return YAML_KIND.test(text) || JSON_KIND.test(text);
}

export function trackDaemonSetContext(): vscode.Disposable {
  let last: boolean | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const update = () => {
    const doc = vscode.window.activeTextEditor?.document;
    const value = !!doc && (doc.languageId === 'yaml' || doc.languageId === 'json') && holdsDaemonSet(doc.getText());
    if (value === last) return;
    last = value;
    void vscode.commands.executeCommand('setContext', HAS_DAEMONSET, value);
  };
  update();
  const subs = [
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document !== vscode.window.activeTextEditor?.document) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(update, 300);
    }),
    vscode.workspace.onDidOpenTextDocument(update),
  ];
  return { dispose: () => { if (timer) clearTimeout(timer); for (const s of subs) s.dispose(); } };
}
