import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import type { PlacementResult } from '../../server/src/protocol';
import { doc, fakePanel, installFakeVscode, Uri, type FakeDocument } from './fakeVscode';

const vscode = installFakeVscode();
let PlacementPreview: typeof import('../../client/src/preview/previewPanel').PlacementPreview;

const R = { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } };

function answer(uri: string, withDaemonSet = true): PlacementResult {
  return {
    uri,
    nodes: [],
    activeIndex: withDaemonSet ? 0 : -1,
    daemonSets: withDaemonSet
      ? [{ index: 0, name: 'agent', namespace: 'default', range: R, nameRange: R, hostNetwork: false, tolerations: [], rules: [] }]
      : [],
  };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

/** A host whose answers the test releases one by one. */
function host() {
  const asked: Array<{ uri: string; reply: (r: PlacementResult | null) => void }> = [];
  return {
    asked,
    host: {
      extensionUri: Uri.parse('file:///ext'),
      request(params: { uri: string }) {
        const d = deferred<PlacementResult | null>();
        asked.push({ uri: params.uri, reply: d.resolve });
        return d.promise;
      },
      addToleration: async () => null,
      showPod: async () => undefined,
      log: () => undefined,
    },
  };
}

describe('placement preview panel', () => {
  before(async () => {
    // Loaded once the fake is in place.
    ({ PlacementPreview } = await import('../../client/src/preview/previewPanel'));
  });

  beforeEach(() => {
    PlacementPreview.active?.dispose();
    vscode.activate(undefined);
  });

  it('restored after a reload, shows the manifest it showed, though no editor is active', async () => {
    const a: FakeDocument = doc('file:///w/agent.yaml');
    vscode.addDocument(a);
    const h = host();
    const panel = fakePanel();
    await PlacementPreview.revive(panel as never, h.host as never, { filter: '', uri: 'file:///w/agent.yaml' });
    await tick();
    assert.equal(panel.title, 'Placement: agent.yaml');
    assert.deepEqual(h.asked.map((q) => q.uri), ['file:///w/agent.yaml']);
  });

  it('restored without a saved manifest (or one that is gone), follows the active manifest', async () => {
    const b = doc('file:///w/other.yaml');
    vscode.activate(b);
    const h = host();
    const panel = fakePanel();
    await PlacementPreview.revive(panel as never, h.host as never, { filter: '', uri: 'file:///w/deleted.yaml' });
    await tick();
    assert.equal(panel.title, 'Placement: other.yaml');
  });

  it('switching editors fast: a late answer for an editor left behind does not switch the preview', async () => {
    const a = doc('file:///w/a.yaml');
    const b = doc('file:///w/b.yaml');
    const c = doc('file:///w/c.yaml');
    const h = host();
    vscode.activate(a);
    const preview = PlacementPreview.show(h.host as never, a as never);
    const panel = (preview as unknown as { panel: ReturnType<typeof fakePanel> }).panel;
    await tick();
    h.asked.shift()!.reply(answer('file:///w/a.yaml'));
    await tick();
    assert.equal(panel.title, 'Placement: a.yaml');
    // b, then c become active; c's check answers first, b's later.
    vscode.activate(b);
    vscode.activate(c);
    const [probeB, probeC] = h.asked.splice(0);
    assert.deepEqual([probeB.uri, probeC.uri], ['file:///w/b.yaml', 'file:///w/c.yaml']);
    probeC.reply(answer('file:///w/c.yaml'));
    await tick();
    assert.equal(panel.title, 'Placement: c.yaml');
    probeB.reply(answer('file:///w/b.yaml'));
    await tick();
    assert.equal(panel.title, 'Placement: c.yaml', 'the preview stays on the active editor');
  });
});
