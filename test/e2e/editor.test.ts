/**
 * End-to-end: the packaged VSIX in a real VS Code workbench (code-server + Chromium), on a copy of
 * examples/. The expected results come from the engine itself, run here on the same files, so the
 * test checks that the editor shows what the engine computes. One workbench for the whole file; the
 * steps build on each other like a user session. Screenshots: test-artifacts/e2e/editor/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseDocument, validate, type DocumentModel, type Finding } from '../../server/src/engine';
import { addPods, parseCluster } from '../../server/src/engine/cluster';
import { placeDaemonSet } from '../../server/src/engine/placement';
import type { ClusterModel } from '../../server/src/engine/placement/types';
import { wellKnownTaint } from '../../server/src/engine/taints';
import { countVerdicts, PATCH_BASE_TOLERATIONS_NOTE, PATCH_LINE, PATCH_TAINT_UNKNOWN, TEMPLATE_TAINT_UNKNOWN, templateLine, templateTolerationsNote, verdictOf, type Verdict } from '../../server/src/protocol';
import { templateNamespace } from '../../server/src/engine/templateWords';
import { EditorSession, REPO, waitFor } from './harness';

const RULE = 'missing-control-plane-toleration';
const CP_KEY = 'node-role.kubernetes.io/control-plane';
const NEW_NODE = 'worker-e2e-added';
const HOSTILE_NODE = '<img src=x onerror="document.title=\'pwned\'">';

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() && !e.name.startsWith('.')) out.push(...yamlFiles(p));
    else if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

const model = (path: string, text = readFileSync(path, 'utf8')): DocumentModel => parseDocument(`file://${path}`, text);
/** The cluster the editor sees: the cluster file plus the pods file the examples' settings name. */
const clusterOf = (path: string, text?: string): ClusterModel => {
  const cluster = parseCluster(model(path, text));
  const pods = join(dirname(path), 'pods.yaml');
  return existsSync(pods) ? addPods(cluster, parseCluster(model(pods))) : cluster;
};

/** 1-based line and column of an offset. */
function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/** The engine's verdict for every node, for the (only/first) DaemonSet of a manifest text. */
function expectedVerdicts(manifestPath: string, manifestText: string, cluster: ClusterModel): Map<string, Verdict> {
  const ds = model(manifestPath, manifestText).daemonSets[0];
  const placement = placeDaemonSet(ds, cluster);
  return new Map(placement.nodes.map((n) => [n.node, verdictOf(n)]));
}

describe('DaemonSet Lens in a real VS Code workbench', { timeout: 600_000 }, () => {
  const examples = join(REPO, 'examples');
  let s: EditorSession;
  let clusterRel: string;
  let manifestRel: string;
  let finding: Finding;

  before(async () => {
    // The cluster file: the examples' file that holds Nodes.
    const files = yamlFiles(examples);
    const clusterPath = files.find((f) => model(f).objects.some((o) => o.kind === 'Node'));
    assert.ok(clusterPath, 'examples/ has a cluster file');
    clusterRel = relative(examples, clusterPath);
    const cluster = clusterOf(clusterPath);
    assert.ok(cluster.nodes.some((n) => n.taints.some((t) => t.key === CP_KEY)), 'the cluster file has a control-plane node');
    // A manifest with a single DaemonSet that the engine flags for the control-plane toleration.
    for (const f of files) {
      const m = model(f);
      if (m.daemonSets.length !== 1) continue;
      const hit = validate(m, { cluster }).find((x) => x.code === RULE);
      if (hit) {
        manifestRel = relative(examples, f);
        finding = hit;
        break;
      }
    }
    assert.ok(manifestRel, `examples/ has a one-DaemonSet manifest with ${RULE}`);
    s = await EditorSession.start({ name: 'editor' });
  });

  after(async () => {
    await s?.close();
  });

  it('shows the missing control-plane toleration as a squiggle and in Problems, with its rule id', async () => {
    await s.step('open the manifest', () => s.openFile(manifestRel));
    await s.step('squiggle and Problems entry', async () => {
      const at = lineCol(s.readFile(manifestRel), finding.span.start);
      await s.goTo(at.line, at.column);
      await waitFor(`a ${finding.severity} squiggle on line ${at.line}`, async () => (await s.squigglesOnLine(at.line)).includes(finding.severity), 60_000);
      const rows = await s.problems();
      const row = rows.filter({ hasText: RULE }).first();
      await row.waitFor({ timeout: 45_000 });
      assert.match(await row.innerText(), /control-plane/);
    });
  });

  it('explains the control-plane taint on hover', async () => {
    const entry = wellKnownTaint(CP_KEY);
    assert.ok(entry, 'the taint catalogue knows the control-plane taint');
    const phrase = entry.meaning.split(/[.`*_]/)[0].trim();
    await s.step('hover on the taint key in the cluster file', async () => {
      await s.openFile(clusterRel);
      await s.goToText(clusterRel, `key: ${CP_KEY}`, 'key: '.length + 5);
      await s.page.keyboard.press('Control+K');
      await s.page.keyboard.press('Control+I');
      const hover = s.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first();
      await hover.waitFor({ timeout: 45_000 });
      await waitFor('the hover to explain the taint', async () => (await hover.innerText()).includes(phrase));
      // The hover fades in: let the animation end, so the screenshot shows it as the user reads it.
      await hover.evaluate((el) => Promise.all(el.ownerDocument.getAnimations().map((a) => a.finished.catch(() => undefined))));
    });
    await s.page.keyboard.press('Escape');
  });

  it('shows the engine\'s nodes and verdicts in the placement preview', async () => {
    const cluster = clusterOf(s.path(clusterRel));
    const expected = expectedVerdicts(s.path(manifestRel), s.readFile(manifestRel), cluster);
    assert.ok([...expected.values()].includes('excluded'), 'the control-plane nodes are excluded before the fix');
    await s.step('open the placement preview to the side', async () => {
      await s.openFile(manifestRel);
      await s.runCommand('Open Placement Preview to the Side');
      await s.webview().locator('[data-node]').first().waitFor({ timeout: 45_000 });
    });
    await s.step('preview verdicts match the engine', () => waitForVerdicts(s, expected));
  });

  it('adds the toleration with the quick fix: the file on disk has it and the diagnostic is gone', async () => {
    const text = s.readFile(manifestRel);
    const title = (finding.fixes?.find((f) => f.isPreferred) ?? finding.fixes?.[0])?.title;
    assert.ok(title, `${RULE} carries a fix`);
    await s.step('quick fix menu', async () => {
      await s.openFile(manifestRel);
      const at = lineCol(text, finding.span.start);
      await s.goTo(at.line, at.column + 1);
      await s.page.keyboard.press('Control+.');
      await s.page.locator('.action-widget .monaco-list-row', { hasText: title }).first().waitFor();
    });
    await s.step('apply and save', async () => {
      await s.chooseAction(title);
      await s.page.locator('.editor-group-container.active .tab.active.dirty').waitFor();
      await s.save();
      await waitFor('the toleration on disk', () => s.readFile(manifestRel).includes(CP_KEY));
    });
    const fixed = s.readFile(manifestRel);
    const cluster = clusterOf(s.path(clusterRel));
    const after = validate(model(s.path(manifestRel), fixed), { cluster });
    assert.equal(after.filter((f) => f.code === RULE).length, 0, 'the engine agrees the fix is complete');
    await s.step('diagnostic gone', async () => {
      const rows = await s.problems();
      await rows.filter({ hasText: RULE }).first().waitFor({ state: 'detached', timeout: 45_000 });
      // The rule's squiggle is gone from its line (unless another finding of the same severity starts there).
      const line = lineCol(text, finding.span.start).line;
      const sameLine = after.filter((f) => f.severity === finding.severity && lineCol(fixed, f.span.start).line === line);
      assert.deepEqual(sameLine.map((f) => f.code), [], 'no other finding of the same severity on that line');
      await s.goTo(line, 1);
      await waitFor(`no ${finding.severity} squiggle on line ${line}`, async () => !(await s.squigglesOnLine(line)).includes(finding.severity));
    });
    await s.step('preview: control-plane nodes now run', () => waitForVerdicts(s, expectedVerdicts(s.path(manifestRel), fixed, cluster)));
  });

  it('shows the pod for a node added to the cluster file', async () => {
    const original = s.readFile(clusterRel);
    const added = `${original.endsWith('\n') ? original : `${original}\n`}---\napiVersion: v1\nkind: Node\nmetadata:\n  name: ${NEW_NODE}\n  labels:\n    kubernetes.io/hostname: ${NEW_NODE}\n    kubernetes.io/os: linux\n    kubernetes.io/arch: amd64\nstatus:\n  allocatable:\n    cpu: "8"\n    memory: 32Gi\n    pods: "110"\n  conditions:\n    - type: Ready\n      status: "True"\n`;
    const cluster = clusterOf(s.path(clusterRel), added);
    const expected = expectedVerdicts(s.path(manifestRel), s.readFile(manifestRel), cluster);
    assert.equal(expected.get(NEW_NODE), 'runs', 'the engine gives the new node a pod');
    await s.step('new node gets a pod in the preview', async () => {
      // As after `kubectl get nodes -o yaml > cluster.yaml`: the file changes on disk.
      s.writeFile(clusterRel, added);
      const row = s.webview().locator(`[data-node="${NEW_NODE}"]`);
      await row.waitFor({ timeout: 45_000 });
      await waitForVerdicts(s, expected);
    });
  });

  it('shows a code lens with the engine\'s counts that opens the preview', async () => {
    const cluster = clusterOf(s.path(clusterRel));
    const ds = model(s.path(manifestRel)).daemonSets[0];
    const p = placeDaemonSet(ds, cluster);
    const counts = countVerdicts(p.desiredNumberScheduled, p.nodes);
    await s.step('code lens above the DaemonSet', async () => {
      await s.openFile(manifestRel);
      // Through "Go to Line": Control+Home is lost if it comes before the editor has the focus, and
      // the lens stays scrolled out of view.
      await s.goTo(1, 1);
      const lens = s.editor().locator('.codelens-decoration a', { hasText: /runs on/ }).first();
      await lens.waitFor({ timeout: 45_000 });
      // The editor may first show the lens it cached for this file, then the fresh one: wait for the
      // engine's counts (a lens that never catches up fails here).
      const want = `runs on ${counts.runs} of ${counts.nodes} nodes`;
      await waitFor(`the code lens "${want}"`, async () => {
        const text = await lens.innerText();
        return text.includes(want) ? text : (() => { throw new Error(`code lens text: ${text}`); })();
      });
    });
    await s.step('code lens opens the preview', async () => {
      await s.runCommand('View: Close All Editor Groups');
      await s.openFile(manifestRel);
      await s.goTo(1, 1);
      await s.editor().locator('.codelens-decoration a', { hasText: /runs on/ }).first().click();
      await s.webview().locator(`[data-node="${NEW_NODE}"]`).waitFor({ timeout: 45_000 });
    });
  });

  it('shows the pod the controller creates on a chosen node', async () => {
    await s.step('pick a node', async () => {
      await s.openFile(manifestRel);
      await s.runCommand('Show the Pod Created on Node');
      await s.page.locator('.quick-input-list .monaco-list-row').first().waitFor();
      await s.page.keyboard.type(NEW_NODE);
      await s.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: NEW_NODE }).waitFor();
      await s.page.keyboard.press('Enter');
    });
    await s.step('the generated pod', async () => {
      await waitFor('a document showing the pod', async () => (await s.editorText()).includes('kind: Pod'));
      assert.ok(await findInEditor(s, 'kind: Pod') > 0, 'kind: Pod');
      assert.ok(await findInEditor(s, 'metadata.name') > 0, 'the injected metadata.name node affinity');
      assert.ok(await findInEditor(s, `- ${NEW_NODE}`) > 0, 'targets the chosen node');
      assert.ok(await findInEditor(s, 'node.kubernetes.io/not-ready') > 0, 'the automatic tolerations');
    });
  });

  it('reads a file its kustomization lists as a patch: a patch lens and no error, until it is no longer listed', async () => {
    const dir = 'overlay-e2e';
    const rel = `${dir}/patch.yaml`;
    // An image bump as Kustomize overlays write it: containers and images, no selector.
    const patch = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: fluent-bit\n  namespace: logging\nspec:\n  template:\n    spec:\n      containers:\n      - name: fluent-bit\n        image: cr.fluentbit.io/fluent/fluent-bit:3.2.0\n';
    const cluster = clusterOf(s.path(clusterRel));
    const uri = `file://${s.path(rel)}`;
    assert.deepEqual(validate(parseDocument(uri, patch, undefined, undefined, { partial: true }), { cluster }).map((f) => f.code), [], 'the engine has nothing to say about a listed patch');
    const error = validate(parseDocument(uri, patch), { cluster }).find((f) => f.severity === 'error');
    assert.ok(error, 'the same text alone is an incomplete DaemonSet');
    const at = lineCol(patch, error.span.start);
    mkdirSync(s.path(dir));
    s.writeFile(rel, patch);
    s.writeFile(`${dir}/kustomization.yaml`, 'resources:\n- ../fluent-bit.yaml\npatches:\n- path: patch.yaml\n');
    await s.step('listed: the patch lens, no error squiggle', async () => {
      await s.openFile(rel);
      await s.goTo(1, 1);
      await s.editor().locator('.codelens-decoration a', { hasText: PATCH_LINE.split(' ·')[0] }).first().waitFor({ timeout: 45_000 });
      await s.goTo(at.line, at.column);
      // The lens comes from the same model as the diagnostics: give them the time they take to arrive.
      await new Promise((r) => setTimeout(r, 2000));
      assert.ok(!(await s.squigglesOnLine(at.line)).includes('error'), `no error on line ${at.line}`);
    });
    await s.step("listed: the preview says it is a patch, and that the base's tolerations apply", async () => {
      await s.runCommand('Open Placement Preview to the Side');
      const view = s.webview();
      await view.getByText(PATCH_BASE_TOLERATIONS_NOTE).first().waitFor({ timeout: 45_000 });
      // The control-plane taint: not covered by the controller's tolerations, and not known to be untolerated.
      const row = view.locator('li.rule[data-taint="node-role.kubernetes.io/control-plane:NoSchedule"]').first();
      await row.waitFor({ timeout: 45_000 });
      assert.equal(await row.getAttribute('data-tolerated'), 'unknown');
      assert.ok((await row.innerText()).includes(PATCH_TAINT_UNKNOWN), await row.innerText());
      assert.equal(await row.locator('button.add-toleration, button', { hasText: 'Add toleration' }).count(), 0, 'no Add toleration in a patch that keeps its base\'s');
      assert.equal(await view.locator('[data-node]').count(), 0, 'a patch is not placed: no node rows');
      await s.openFile(rel);
    });
    await s.step('no longer listed: the error appears', async () => {
      s.writeFile(`${dir}/kustomization.yaml`, 'resources:\n- ../fluent-bit.yaml\n');
      await waitFor(`an error squiggle on line ${at.line}`, async () => (await s.squigglesOnLine(at.line)).includes('error'), 60_000);
      const rows = await s.problems();
      await rows.filter({ hasText: error.code }).first().waitFor({ timeout: 45_000 });
      // The lens is asked for again (workspace/codeLens/refresh) and now places the DaemonSet.
      const lens = s.editor().locator('.codelens-decoration a').first();
      await waitFor('the lens to place the DaemonSet', async () => {
        const text = await lens.innerText();
        return text.includes('runs on') ? text : (() => { throw new Error(`code lens text: ${text}`); })();
      }, 45_000);
    });
  });

  it("shows a Helm chart's DaemonSet as written, not placed, its own tolerations known only once rendered", async () => {
    const rel = 'node-exporter-chart.yaml';
    s.writeFile(rel, readFileSync(join(REPO, 'test/fixtures/templates/helm-node-exporter-daemonset.yaml'), 'utf8'));
    const title = `${templateNamespace(true)}/{{ include "prometheus-node-exporter.fullname" . }}`;
    await s.step('a Helm template: the lens says it is not placed', async () => {
      await s.runCommand('View: Close All Editor Groups');
      await s.openFile(rel);
      await s.goTo(1, 1);
      await s.editor().locator('.codelens-decoration a', { hasText: templateLine(true) }).first().waitFor({ timeout: 45_000 });
    });
    await s.step('the preview names it as written and lists only what the controller adds', async () => {
      await s.runCommand('Open Placement Preview to the Side');
      const view = s.webview();
      await view.getByText(title).first().waitFor({ timeout: 45_000 });
      assert.equal(await view.getByText('default/', { exact: false }).count(), 0, 'no invented default namespace');
      await view.getByText(templateTolerationsNote(true)).first().waitFor({ timeout: 45_000 });
      const unknown = view.locator('li.rule[data-tolerated="unknown"]').first();
      await unknown.waitFor({ timeout: 45_000 });
      assert.ok((await unknown.innerText()).includes(TEMPLATE_TAINT_UNKNOWN), await unknown.innerText());
      assert.equal(await view.locator('[data-node]').count(), 0, 'a template is not placed: no node rows');
    });
  });

  it('shows the nodes whose kubelet rejects a Windows DaemonSet, and keeps it on Windows nodes with the quick fix', async () => {
    const rel = 'kube-proxy-windows.yaml';
    const code = 'os-without-node-selector';
    s.writeFile(rel, readFileSync(join(REPO, 'test/fixtures/pod-os/kube-proxy-windows.yaml'), 'utf8'));
    const text = s.readFile(rel);
    const cluster = clusterOf(s.path(clusterRel));
    const found = validate(model(s.path(rel), text), { cluster }).find((f) => f.code === code);
    assert.ok(found, `the engine reports ${code} for a Windows DaemonSet without an OS nodeSelector`);
    const title = (found.fixes?.find((f) => f.isPreferred) ?? found.fixes?.[0])?.title;
    assert.ok(title, `${code} carries a fix`);
    const before = expectedVerdicts(s.path(rel), text, cluster);
    const rejected = [...before].filter(([, v]) => v === 'rejected').map(([n]) => n);
    assert.ok(rejected.length > 0, 'the engine has the kubelet reject the pods on the Linux nodes');
    const at = lineCol(text, found.span.start);
    await s.step('os.name without an OS nodeSelector: the warning names the nodes', async () => {
      await s.runCommand('View: Close All Editor Groups');
      await s.openFile(rel);
      await s.goTo(at.line, at.column);
      await waitFor(`a ${found.severity} squiggle on line ${at.line}`, async () => (await s.squigglesOnLine(at.line)).includes(found.severity), 60_000);
      const row = (await s.problems()).filter({ hasText: code }).first();
      await row.waitFor({ timeout: 45_000 });
      const shown = await row.innerText();
      assert.ok(rejected.some((n) => shown.includes(n)), `the Problems entry names a rejected node: ${shown}`);
    });
    await s.step('the preview shows the pods the kubelet rejects', async () => {
      await s.runCommand('Open Placement Preview to the Side');
      await waitForVerdicts(s, before);
      assert.ok(await s.webview().locator(`[data-node="${rejected[0]}"]`).innerText().then((t) => /reject/i.test(t)), 'the rejected row says so');
    });
    await s.step('the quick fix adds the OS nodeSelector', async () => {
      await s.openFile(rel);
      await s.goTo(at.line, at.column + 1);
      await s.page.keyboard.press('Control+.');
      await s.page.locator('.action-widget .monaco-list-row', { hasText: title }).first().waitFor();
      await s.chooseAction(title);
      await s.page.locator('.editor-group-container.active .tab.active.dirty').waitFor();
      await s.save();
      await waitFor('the nodeSelector on disk', () => /kubernetes\.io\/os: windows/.test(s.readFile(rel)));
    });
    const fixed = s.readFile(rel);
    assert.equal(validate(model(s.path(rel), fixed), { cluster }).filter((f) => f.code === code).length, 0, 'the engine agrees the fix is complete');
    const afterFix = expectedVerdicts(s.path(rel), fixed, cluster);
    assert.ok(![...afterFix.values()].includes('rejected'), 'no node rejects the pods once they are kept on Windows nodes');
    await s.step('warning gone, no node rejects the pods', async () => {
      await (await s.problems()).filter({ hasText: code }).first().waitFor({ state: 'detached', timeout: 45_000 });
      await s.runCommand('Open Placement Preview to the Side');
      await waitForVerdicts(s, afterFix);
    });
  });

  it('renders hostile node names as text', async () => {
    const dialogs: string[] = [];
    s.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const hostile = `${s.readFile(clusterRel)}---\napiVersion: v1\nkind: Node\nmetadata:\n  name: '${HOSTILE_NODE.replace(/'/g, "''")}'\n  labels:\n    kubernetes.io/os: linux\n    team: '<script>alert(1)</script>'\n`;
    await s.step('hostile node name in the preview', async () => {
      await s.openFile(manifestRel);
      await s.runCommand('Open Placement Preview to the Side');
      s.writeFile(clusterRel, hostile);
      const row = s.webview().locator('[data-node]').filter({ hasText: 'onerror' }).first();
      await row.waitFor({ timeout: 45_000 });
      assert.equal(await row.getAttribute('data-node'), HOSTILE_NODE);
      assert.ok((await row.innerText()).includes(HOSTILE_NODE), 'the name is shown literally');
      assert.equal(await row.locator('img, script').count(), 0, 'no element made from the node name');
      assert.equal(await s.webview().locator('img[src="x"], script:text("alert")').count(), 0, 'no element made from node data');
      assert.deepEqual(dialogs, []);
      assert.notEqual(await s.page.title(), 'pwned');
    });
  });

  it('warns of a misspelt feature gate in the settings, naming the gate meant', async () => {
    const settings = '.vscode/settings.json';
    const before = s.readFile(settings);
    await s.step('a misspelt gate in the workspace settings', async () => {
      s.writeFile(settings, JSON.stringify({ ...JSON.parse(before), 'daemonsetLens.featureGates': { PodLevelResource: true } }, null, 2));
      const toast = s.page.locator('.notification-toast').filter({ hasText: 'did you mean PodLevelResources?' }).first();
      await toast.waitFor({ timeout: 45_000 });
      assert.match(await toast.innerText(), /featureGates: 'PodLevelResource' \(did you mean PodLevelResources\?\) is not a gate DaemonSet Lens reads/);
      // The toast slides in: wait until it stands whole in the window, so the screenshot shows it as the user reads it.
      await waitFor('the warning to be shown whole', () => toast.evaluate((el) => {
        const r = el.getBoundingClientRect();
        const doc = el.ownerDocument.documentElement;
        return getComputedStyle(el).opacity === '1' && r.top >= 0 && r.bottom <= doc.clientHeight && r.right <= doc.clientWidth;
      }));
    });
    s.writeFile(settings, before);
  });
});

/** Waits until the preview shows exactly the expected nodes with the expected verdicts. */
async function waitForVerdicts(s: EditorSession, expected: Map<string, Verdict>): Promise<void> {
  const rows = s.webview().locator('[data-node]');
  let shown = new Map<string, string>();
  try {
    await waitFor('the preview to show the engine\'s verdicts', async () => {
      const attrs = await rows.evaluateAll((els) => els.map((e) => [e.getAttribute('data-node') ?? '', e.getAttribute('data-verdict') ?? '']));
      shown = new Map(attrs as Array<[string, string]>);
      return shown.size === expected.size && [...expected].every(([n, v]) => shown.get(n) === v);
    }, 45_000);
  } catch (e) {
    assert.deepEqual(Object.fromEntries(shown), Object.fromEntries(expected), (e as Error).message);
  }
}

/** Number of matches of `text` in the active editor (Find widget), so text outside the viewport counts. */
async function findInEditor(s: EditorSession, text: string): Promise<number> {
  const page = s.page;
  await s.editor().click({ position: { x: 200, y: 10 } });
  await page.keyboard.press('Control+F');
  const input = page.locator('.find-widget.visible .input').first();
  await input.waitFor();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
  const count = page.locator('.find-widget.visible .matchesCount');
  const label = await waitFor(`the find result for "${text}"`, async () => {
    const t = (await count.innerText()).trim();
    return /No results|\d+ of \d+/.test(t) ? t : undefined;
  }, 5000);
  await page.keyboard.press('Escape');
  const m = /\d+ of (\d+)/.exec(label);
  return m ? Number(m[1]) : 0;
}
