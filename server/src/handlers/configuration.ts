/**
 * Settings (`daemonsetLens.*`): pulled with `workspace/configuration` when the client supports it,
 * else taken from `workspace/didChangeConfiguration` params (the plain push style) or from
 * `initializationOptions`. Applied live: every change re-validates the open documents.
 */
import { DidChangeConfigurationNotification, MessageType, ShowMessageNotification } from 'vscode-languageserver';
import { featureGateNotes } from '../engine/featureGates';
import { minorOf } from '../engine/kubernetesVersion';
import { isObject, normalizeSettings, runSafeVoid, settingsNotes, type Handler, type ServerContext } from './context';

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

async function fetchRawSettings(ctx: ServerContext): Promise<unknown> {
  if (!ctx.client.configuration) return undefined;
  const scopeUri = ctx.workspaceFolders[0]?.uri;
  return (await ctx.connection.workspace.getConfiguration(scopeUri ? { scopeUri, section: SECTION } : { section: SECTION })) ?? {};
}

/** What was last said about the settings of each server, so that a setting is pointed out once. */
const saidOfSettings = new WeakMap<ServerContext, string>();

/**
 * Says in a warning (and in the log) which settings change nothing: `daemonsetLens.featureGates`
 * entries the target version ignores (a misspelt name, a gate the version does not have, one locked on
 * set to false: featureGateNotes), `daemonsetLens.rules` entries that are no rule id or no severity,
 * a `kubernetesVersion` that cannot be read (settingsNotes). Said again only when that changes.
 */
function noteSettings(ctx: ServerContext, raw: unknown): void {
  const notes = featureGateNotes(ctx.settings.featureGates, minorOf(ctx.settings.kubernetesVersion));
  const text = [...(notes.length ? [`featureGates: ${notes.join('; ')}.`] : []), ...settingsNotes(raw)].join(' ');
  if (text === (saidOfSettings.get(ctx) ?? '')) return;
  saidOfSettings.set(ctx, text);
  if (!text) return;
  ctx.runtime.log.info(text);
  void ctx.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: text });
}

export const configurationHandler: Handler = {
  register(ctx) {
    ctx.connection.onDidChangeConfiguration((params) => runSafeVoid(ctx.runtime, async () => {
      const pushed = settingsFromPayload(params.settings);
      const raw = pushed !== undefined ? pushed : await fetchRawSettings(ctx);
      if (raw === undefined) return;
      const next = normalizeSettings(raw);
      const same = JSON.stringify(next) === JSON.stringify(ctx.settings);
      ctx.settings = next;
      noteSettings(ctx, raw);
      if (!same) ctx.refresh('settings');
    }, 'Error while reading the settings'));
  },

  async initialized(ctx) {
    const fromInit = settingsFromPayload(ctx.initializationOptions);
    let raw: unknown = fromInit;
    if (fromInit !== undefined) ctx.settings = normalizeSettings(fromInit);
    if (ctx.client.configurationDynamic) {
      await ctx.connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION });
    }
    try {
      // A client that declares the capability but never answers must not keep the server waiting.
      const fetched = await new Promise<unknown>((resolve, reject) => {
        const timer = ctx.runtime.timer.setTimeout(() => resolve(undefined), 3000);
        fetchRawSettings(ctx).then((s) => { timer.dispose(); resolve(s); }, (e) => { timer.dispose(); reject(e); });
      });
      if (fetched !== undefined) {
        raw = fetched;
        ctx.settings = normalizeSettings(fetched);
      }
    } catch (e) {
      ctx.runtime.log.error(`Could not read the ${SECTION} settings: ${e instanceof Error ? e.message : String(e)}`);
    }
    noteSettings(ctx, raw);
  },
};
