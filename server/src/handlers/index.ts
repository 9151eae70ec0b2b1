/**
 * Every LSP handler, registered from this one list (add a handler here and nowhere else). Order
 * matters once: configuration is read before the cluster file is resolved.
 */
import { clusterFileHandler } from './clusterFile';
import { codeLensHandler } from './codeLens';
import { codeActionsHandler } from './codeActions';
import { completionHandler } from './completion';
import { configurationHandler } from './configuration';
import type { Handler } from './context';
import { diagnosticsHandler } from './diagnostics';
import { hoverHandler } from './hover';
import { kustomizeHandler } from './kustomize';
import { placementHandler } from './placement';

export const HANDLERS: readonly Handler[] = [
  configurationHandler,
  clusterFileHandler,
  kustomizeHandler,
  diagnosticsHandler,
  codeActionsHandler,
  hoverHandler,
  completionHandler,
  codeLensHandler,
  placementHandler,
];

export type { Handler, ServerContext } from './context';
