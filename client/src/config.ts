/** `daemonsetLens.*` settings: their ids in one place and typed getters. */
import * as vscode from 'vscode';

export const SECTION = 'daemonsetLens';

/** Setting ids, relative to the section. */
export const Setting = {
  clusterFile: 'clusterFile',
  kubernetesVersion: 'kubernetesVersion',
  featureGates: 'featureGates',
  rules: 'rules',
  traceServer: 'trace.server',
} as const;

export type SeveritySetting = 'error' | 'warning' | 'information' | 'hint' | 'off';

function section(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION, scope);
}

/** The configured cluster file (workspace-relative or absolute); undefined means "discover". */
export function clusterFile(scope?: vscode.ConfigurationScope): string | undefined {
  const v = section(scope).get<string>(Setting.clusterFile);
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

export function kubernetesVersion(scope?: vscode.ConfigurationScope): string {
  const v = section(scope).get<string>(Setting.kubernetesVersion);
  return typeof v === 'string' ? v : '';
}

export function featureGates(scope?: vscode.ConfigurationScope): Record<string, boolean> {
  const v = section(scope).get<Record<string, unknown>>(Setting.featureGates) ?? {};
  const out: Record<string, boolean> = {};
  for (const [k, b] of Object.entries(v)) if (typeof b === 'boolean') out[k] = b;
  return out;
}

export function ruleSeverities(scope?: vscode.ConfigurationScope): Record<string, SeveritySetting> {
  return { ...(section(scope).get<Record<string, SeveritySetting>>(Setting.rules) ?? {}) };
}

/**
 * Stores the cluster file setting for the folder of `uri` (workspace-relative when inside it), or
 * clears it (`undefined`: back to discovery).
 */
export async function setClusterFile(uri: vscode.Uri | undefined, scopeUri?: vscode.Uri): Promise<void> {
  const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? (scopeUri && vscode.workspace.getWorkspaceFolder(scopeUri)) ?? vscode.workspace.workspaceFolders?.[0];
  let value: string | undefined;
  if (uri) {
    const rel = folder ? vscode.workspace.asRelativePath(uri, false) : uri.fsPath;
    value = folder && rel !== uri.fsPath && !rel.startsWith('..') ? rel : uri.fsPath;
  }
  const target = folder ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await section(folder?.uri).update(Setting.clusterFile, value, target);
}

/** Whether a change event touches one of our settings (the server re-reads them itself). */
export function affectsUs(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION);
}
