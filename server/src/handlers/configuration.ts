/**
 * Settings (`daemonsetLens.*`): pulled with `workspace/configuration` when the client supports it,
 * else taken from `workspace/didChangeConfiguration` params (the plain push style) or from
 * `initializationOptions`. Applied live: every change re-validates the open documents.
 */
import { DidChangeConfigurationNotification } from 'vscode-languageserver';
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

export const configurationHandler: Handler = {
  register(ctx) {
    ctx.connection.onDidChangeConfiguration((params) => runSafeVoid(ctx.runtime, async () => {
      const pushed = settingsFromPayload(params.settings);
      const next = pushed !== undefined ? normalizeSettings(pushed) : await fetchSettings(ctx);
      if (!next) return;
      if (JSON.stringify(next) === JSON.stringify(ctx.settings)) return;
      ctx.settings = next;
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
  },
};
