/**
 * Settings (`daemonsetLens.*`): pulled with `workspace/configuration` when the client supports it,
 * else taken from `workspace/didChangeConfiguration` params (the plain push style) or from
 * `initializationOptions`. Applied live: every change re-validates the open documents.
 */
import { DidChangeConfigurationNotification, MessageType, ShowMessageNotification } from 'vscode-languageserver';
import { featureGateNotes } from '../engine/featureGates';
import { minorOf } from '../engine/kubernetesVersion';
import { isObject, normalizeSettings, runSafeVoid, type Handler, type ServerContext, type Settings } from './context';

export const SECTION = 'daemonsetLens';

/** Settings in a `didChangeConfiguration` payload or in initializationOptions, if any. */
export function settingsFromPayload(payload: unknown): unknown | undefined {
  if (!isObject(payload)) return undefined;
  if (isObject(payload[SECTION])) return payload[SECTION];
  if (isObject(payload.settings) && isObject(payload.settings[SECTION])) return payload.settings[SECTION];
  // Dotted keys, as some clients flatten them: { "daemonsetLens.kubernetesVersion": "1.30" }.
  const dotted = Object.entries(payload).filter(([k]) => k.startsWith(`${SECTION}.`));
  if (dotted.length) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of dotted) out[k.slice(SECTION.length + 1)] = v;
    return out;
  }
  return undefined;
}

async function fetchSettings(ctx: ServerContext): Promise<Settings | undefined> {
  if (!ctx.client.configuration) return undefined;
  const scopeUri = ctx.workspaceFolders[0]?.uri;
  const raw = await ctx.connection.workspace.getConfiguration(scopeUri ? { scopeUri, section: SECTION } : { section: SECTION });
  return normalizeSettings(raw);
}

/** What was last said about the feature gates of each server, so that a setting is pointed out once. */
const saidOfGates = new WeakMap<ServerContext, string>();

/**
 * Says in a warning (and in the log) which `daemonsetLens.featureGates` entries change nothing for the
 * target version: a misspelt name, a gate the version does not have, one locked on set to false
 * (featureGateNotes). Said again only when that changes.
 */
function noteFeatureGates(ctx: ServerContext): void {
  const notes = featureGateNotes(ctx.settings.featureGates, minorOf(ctx.settings.kubernetesVersion));
  const text = notes.length ? `featureGates: ${notes.join('; ')}.` : '';
  if (text === (saidOfGates.get(ctx) ?? '')) return;
  saidOfGates.set(ctx, text);
  if (!text) return;
  ctx.runtime.log.info(text);
  void ctx.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: text });
}

export const configurationHandler: Handler = {
  register(ctx) {
    ctx.connection.onDidChangeConfiguration((params) => runSafeVoid(ctx.runtime, async () => {
      const pushed = settingsFromPayload(params.settings);
      const next = pushed !== undefined ? normalizeSettings(pushed) : await fetchSettings(ctx);
      if (!next) return;
      if (JSON.stringify(next) === JSON.stringify(ctx.settings)) return;
      ctx.settings = next;
      noteFeatureGates(ctx);
      ctx.refresh('settings');
    }, 'Error while reading the settings'));
  },

  async initialized(ctx) {
    const fromInit = settingsFromPayload(ctx.initializationOptions);
    if (fromInit !== undefined) ctx.settings = normalizeSettings(fromInit);
    if (ctx.client.configurationDynamic) {
      await ctx.connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION });
    }
    try {
      // A client that declares the capability but never answers must not keep the server waiting.
      const fetched = await new Promise<Settings | undefined>((resolve, reject) => {
        const timer = ctx.runtime.timer.setTimeout(() => resolve(undefined), 3000);
        fetchSettings(ctx).then((s) => { timer.dispose(); resolve(s); }, (e) => { timer.dispose(); reject(e); });
      });
      if (fetched) ctx.settings = fetched;
    } catch (e) {
      ctx.runtime.log.error(`Could not read the ${SECTION} settings: ${e instanceof Error ? e.message : String(e)}`);
    }
    noteFeatureGates(ctx);
  },
};
