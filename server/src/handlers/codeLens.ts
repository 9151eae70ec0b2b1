/**
 * A code lens above each DaemonSet: where it runs ("runs on 7 of 9 nodes · 2 blocked by taints"),
 * or without a cluster file how many well-known taints it tolerates; in a template or a Kustomize patch,
 * that it is not placed (also above a template's `kind: DaemonSet` that YAML cannot read unrendered).
 * Clicking opens the preview.
 */
import { CodeLensRefreshRequest, type CodeLens, type ClientCapabilities } from 'vscode-languageserver';
import { toRange, type PositionMapper } from '../convert';
import type { DocumentModel } from '../engine/model';
import type { ClusterModel } from '../engine/placement/types';
import type { Target } from '../engine/kubernetesVersion';
import { comparisonOperatorsEnabled } from '../engine/placement/tolerations';
import { PATCH_LINE, placementSummary, rulesLine, templateLine } from '../protocol';
import { runSafe, type Handler, type ServerContext } from './context';
import { effectiveTolerationsWithSource, placementFor, settingsTarget, taintRules } from './placement';
import { inTemplatedChunk, isPlainObject, type ManifestObject } from '../engine/model';
import { unreadableTemplateDaemonSets } from '../engine/templates';
import { keySpan } from '../engine/ast';

/** The command the client registers to open the preview beside the editor: arguments (uri, DaemonSet index). */
export const OPEN_PREVIEW_COMMAND = 'daemonsetLens.openPreviewToSide';

/** Lens titles for every DaemonSet of a model. Pure over its input. */
export function codeLenses(
  model: DocumentModel,
  doc: PositionMapper,
  cluster: ClusterModel | undefined,
  target: Partial<Target>,
  place: (ds: ManifestObject, cluster: ClusterModel) => ReturnType<typeof placementFor>,
): CodeLens[] {
  const comparison = comparisonOperatorsEnabled(target);
  const lenses: CodeLens[] = [];
  for (const ds of model.daemonSets) {
    let title: string;
    // A template's values and structure are known only once rendered (the CLI's `place` refuses it), and a
    // patch placed alone would describe a DaemonSet that never exists (the base's fields are missing).
    const templated = inTemplatedChunk(model, ds);
    const placement = cluster && !ds.partial && !templated ? place(ds, cluster) : undefined;
    if (templated) {
      title = templateLine(!!model.template?.helm);
    } else if (ds.partial) {
      title = PATCH_LINE;
    } else if (placement) {
      title = placementSummary(placement);
    } else {
      const spec = isPlainObject(ds.value.spec) && isPlainObject(ds.value.spec.template) && isPlainObject(ds.value.spec.template.spec) ? ds.value.spec.template.spec : {};
      const tolerations = effectiveTolerationsWithSource(ds, spec, spec.hostNetwork === true, doc).map((t) => t.toleration);
      title = rulesLine({ rules: taintRules(tolerations, undefined, comparison) });
    }
    // On the line of `kind: DaemonSet` (or the object's first key): above the object, where the eye starts.
    const at = keySpan(ds, ['kind']) ?? keySpan(ds, []);
    const start = at?.start ?? ds.base;
    lenses.push({
      range: toRange(doc, { start, end: start }),
      command: { title, command: OPEN_PREVIEW_COMMAND, arguments: [model.uri, ds.index] },
    });
  }
  // A template's DaemonSets that YAML cannot read before rendering (most charts'): not placed either.
  if (model.templated) {
    for (const at of unreadableTemplateDaemonSets(model)) {
      lenses.push({
        range: toRange(doc, { start: at.start, end: at.start }),
        command: { title: templateLine(!!model.template?.helm), command: OPEN_PREVIEW_COMMAND, arguments: [model.uri] },
      });
    }
  }
  return lenses;
}

const refreshSupport = new WeakMap<ServerContext, boolean>();

export const codeLensHandler: Handler = {
  capabilities(ctx, client: ClientCapabilities) {
    refreshSupport.set(ctx, !!client.workspace?.codeLens?.refreshSupport);
    return { codeLensProvider: { resolveProvider: false } };
  },
  register(ctx) {
    ctx.connection.onCodeLens((params, token) => runSafe<CodeLens[] | null>(ctx.runtime, () => {
      const doc = ctx.documents.get(params.textDocument.uri);
      if (!doc || !ctx.isSupported(doc) || ctx.isClusterFile(doc.uri)) return null;
      const model = ctx.model(doc);
      if (model.daemonSets.length === 0 && !model.templated) return null;
      const lenses = codeLenses(model, doc, ctx.cluster?.model, settingsTarget(ctx), (ds, cluster) => placementFor(ctx, model, ds, cluster));
      return lenses.length > 0 ? lenses : null;
    }, null, `Error while computing code lenses for ${params.textDocument.uri}`, token));
    // The cluster file or the feature gates changed: every lens may say something else now.
    const refresh = () => {
      if (refreshSupport.get(ctx)) void ctx.connection.sendRequest(CodeLensRefreshRequest.type).then(undefined, () => undefined);
    };
    ctx.onRefresh(refresh);
    // A file that became (or stopped being) a listed patch is (or is no longer) placed.
    ctx.onDocumentsChanged(refresh);
  },
};
