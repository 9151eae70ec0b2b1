import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { Window } from 'happy-dom';
import { buildPreviewModel, type WebviewMessage } from '../../client/src/preview/viewModel';
import { createApp, HIGHLIGHT_MS, type PreviewApp } from '../../client/src/preview/webview/render';
import type { DaemonSetPlacementInfo, PlacementResult, WireNodeVerdict } from '../../server/src/protocol';

const HOSTILE = '<img src=x onerror=alert(1)>';
const HOSTILE2 = '"><script>alert(2)</script>';
const R = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 4 } });

function verdict(name: string, kind: 'runs' | 'pending' | 'excluded', message = ''): WireNodeVerdict {
  return {
    node: name,
    shouldRun: kind !== 'excluded',
    shouldContinueRunning: kind !== 'excluded',
    schedulable: kind === 'excluded' ? null : kind === 'runs',
    reasons: kind === 'runs' ? [] : [{
      code: kind === 'excluded' ? 'untolerated-taint' : 'insufficient-resource',
      message: message || (kind === 'excluded' ? 'taint is not tolerated' : 'Insufficient cpu'),
      range: R(12),
      taint: kind === 'excluded' ? { key: HOSTILE, value: HOSTILE2, effect: 'NoSchedule' } : undefined,
    }],
    notes: kind === 'excluded' ? [`note ${HOSTILE}`] : [],
    daemonPods: [],
    create: kind === 'excluded' ? 0 : 1,
    delete: [],
  };
}

function hostileResult(extraNode?: string): PlacementResult {
  const names = ['cp-1', HOSTILE, HOSTILE2, 'worker-1', ...(extraNode ? [extraNode] : [])];
  const verdicts = [verdict('cp-1', 'excluded', `taint ${HOSTILE} is not tolerated`), verdict(HOSTILE, 'runs'), verdict(HOSTILE2, 'pending'), verdict('worker-1', 'runs')];
  if (extraNode) verdicts.push(verdict(extraNode, 'runs'));
  const ds: DaemonSetPlacementInfo = {
    index: 0,
    name: HOSTILE,
    namespace: HOSTILE2,
    range: R(0),
    nameRange: R(3),
    hostNetwork: false,
    tolerations: [{ toleration: { key: HOSTILE, operator: 'Exists' }, source: 'manifest', range: R(15) }],
    rules: [{ taint: { key: HOSTILE, effect: 'NoSchedule' }, wellKnown: false, nodes: [HOSTILE], description: HOSTILE2, docs: 'javascript:alert(1)' }],
    placement: { desiredNumberScheduled: 3, nodes: verdicts, sync: { creates: 3, deletes: 0 }, rollingUpdate: { maxUnavailable: 1, maxSurge: 0 }, strategy: 'RollingUpdate' },
  };
  return {
    uri: `file:///w/${encodeURIComponent(HOSTILE)}.yaml`,
    cluster: { uri: 'file:///w/cluster.yaml', source: 'setting', nodeCount: names.length, podCount: 0, problems: 0 },
    nodes: names.map((name, i) => ({
      name,
      labels: { [HOSTILE]: HOSTILE2, 'node-role.kubernetes.io/control-plane': '', 'x': i === 1 ? HOSTILE : 'y' },
      taints: [{ key: HOSTILE, value: HOSTILE2, effect: 'NoSchedule' }],
      unschedulable: false,
      location: { uri: 'file:///w/cluster.yaml', range: R(i * 10) },
    })),
    daemonSets: [ds],
    activeIndex: 0,
  };
}

describe('preview webview rendering', () => {
  let window: Window;
  let document: Document;
  let root: HTMLElement;
  let posted: WebviewMessage[];
  let state: unknown;
  let app: PreviewApp;

  beforeEach(() => {
    window = new Window({ url: 'https://webview.local/' });
    document = window.document as unknown as Document;
    root = document.createElement('main');
    root.id = 'app';
    document.body.append(root);
    posted = [];
    state = undefined;
    app = createApp(document, root, { postMessage: (m) => posted.push(m), getState: () => state, setState: (s) => (state = s) });
  });

  afterEach(async () => {
    mock.timers.reset();
    await window.happyDOM.close();
  });

  function nodeEl(name: string): HTMLElement {
    const el = Array.from(root.querySelectorAll<HTMLElement>('li.node')).find((e) => e.dataset.node === name);
    assert.ok(el, `row for ${name}`);
    return el;
  }

  it('renders hostile node names, labels, taints and reasons as text, injecting no element or attribute', () => {
    app.onMessage({ type: 'update', model: buildPreviewModel(hostileResult()) });
    assert.equal(root.querySelectorAll('img, script, iframe, object, embed, a[href^="javascript"]').length, 0);
    for (const e of Array.from(root.querySelectorAll('*'))) {
      for (const a of Array.from(e.attributes)) {
        assert.ok(!a.name.startsWith('on'), `no event-handler attribute (${e.tagName} ${a.name})`);
        assert.ok(!/^(src|href|style|srcdoc)$/.test(a.name), `no ${a.name} attribute on ${e.tagName}`);
      }
    }
    const text = root.textContent ?? '';
    assert.ok(text.includes(HOSTILE), 'the hostile string is shown as text');
    assert.ok(text.includes(HOSTILE2));
    assert.equal(nodeEl(HOSTILE).querySelector('.node-name')!.textContent, HOSTILE);
    assert.equal(nodeEl(HOSTILE2).dataset.verdict, 'pending');
    assert.equal(nodeEl('cp-1').querySelector('.reason')!.textContent?.startsWith(`taint ${HOSTILE} is not tolerated`), true);
    assert.ok(root.querySelector('.daemonset-title')!.textContent!.includes(`${HOSTILE2}/${HOSTILE}`));
    // Every element was created from a known tag: none came from parsing data.
    const tags = new Set(Array.from(root.querySelectorAll('*')).map((e) => e.tagName.toLowerCase()));
    for (const t of tags) assert.ok(['header', 'h1', 'h2', 'h3', 'p', 'span', 'button', 'div', 'ul', 'li', 'section', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'input', 'code', 'pre'].includes(t), `unexpected <${t}>`);
  });

  it('exposes stable hooks: data-node, data-verdict, data-group, data-daemonset, summary counts', () => {
    app.render(buildPreviewModel(hostileResult()));
    assert.equal(root.dataset.state, 'placement');
    assert.deepEqual(Array.from(root.querySelectorAll<HTMLElement>('li.node')).map((e) => e.dataset.verdict).sort(), ['excluded', 'pending', 'runs', 'runs']);
    assert.ok(root.querySelector('section.group[data-group="role:control-plane"]'));
    const row = root.querySelector<HTMLElement>('.summary-table tbody tr')!;
    assert.equal(row.dataset.daemonset, `${HOSTILE2}/${HOSTILE}`);
    assert.equal(row.querySelector<HTMLElement>('[data-count="runs"]')!.textContent, '2');
    assert.equal(row.querySelector<HTMLElement>('[data-count="pending"]')!.textContent, '1');
    assert.equal(row.querySelector<HTMLElement>('[data-count="excluded"]')!.textContent, '1');
  });

  it('shows a node whose kubelet rejects the pod with a Rejected badge, and a Rejected column only when some node is', () => {
    app.render(buildPreviewModel(hostileResult()));
    assert.equal(root.querySelector('[data-count="rejected"]'), null, 'no Rejected column while nothing is rejected');
    const header = () => Array.from(root.querySelectorAll('.summary-table th[scope="col"]')).map((e) => e.textContent);
    assert.deepEqual(header(), ['DaemonSet', 'Desired', 'Will run', 'Pending', 'Excluded']);
    const r = hostileResult('win-1');
    const rejected = r.daemonSets[0].placement!.nodes[4];
    rejected.admitted = false;
    rejected.reasons = [{ code: 'pod-os-not-supported', message: 'os.name `windows` does not match the node\'s OS `linux`', kubeletReason: 'PodOSNotSupported', range: R(20) }];
    app.render(buildPreviewModel(r));
    assert.deepEqual(header(), ['DaemonSet', 'Desired', 'Will run', 'Pending', 'Rejected', 'Excluded']);
    assert.equal(root.querySelector<HTMLElement>('.summary-table [data-count="rejected"]')!.textContent, '1');
    const row = nodeEl('win-1');
    assert.equal(row.dataset.verdict, 'rejected');
    assert.ok(row.classList.contains('verdict-rejected'));
    assert.equal(row.querySelector('.badge')!.textContent, 'Rejected');
    assert.match(root.querySelector('.group-counts')!.textContent!, /, 1 rejected, /);
  });

  it('makes rows keyboard-usable: real buttons, arrow keys move between nodes', () => {
    app.render(buildPreviewModel(hostileResult()));
    const names = Array.from(root.querySelectorAll<HTMLElement>('li.node .node-name'));
    assert.equal(names.length, 4);
    for (const n of names) assert.equal(n.tagName, 'BUTTON');
    names[0].focus();
    assert.equal(document.activeElement, names[0]);
    names[0].dispatchEvent(new window.KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }) as unknown as Event);
    assert.equal(document.activeElement, names[1]);
    names[1].dispatchEvent(new window.KeyboardEvent('keydown', { key: 'End', bubbles: true }) as unknown as Event);
    assert.equal(document.activeElement, names[3]);
    names[3].dispatchEvent(new window.KeyboardEvent('keydown', { key: 'Home', bubbles: true }) as unknown as Event);
    assert.equal(document.activeElement, names[0]);
    assert.equal(root.querySelector('input.filter')!.getAttribute('aria-label'), 'Filter nodes');
    assert.equal(root.querySelector('.announcer')!.getAttribute('aria-live'), 'polite');
    assert.equal(root.querySelector('.announcer')!.getAttribute('role'), 'status');
  });

  it('posts typed messages: open node, reveal reason, add toleration, show pod', () => {
    app.render(buildPreviewModel(hostileResult()));
    const cp = nodeEl('cp-1');
    cp.querySelector<HTMLElement>('[data-action="open-node"]')!.click();
    cp.querySelector<HTMLElement>('[data-action="reveal-reason"]')!.click();
    cp.querySelector<HTMLElement>('[data-action="add-toleration"]')!.click();
    cp.querySelector<HTMLElement>('[data-action="show-pod"]')!.click();
    assert.deepEqual(posted, [
      { type: 'reveal', target: { uri: 'file:///w/cluster.yaml', range: R(0) } },
      { type: 'reveal', target: { uri: `file:///w/${encodeURIComponent(HOSTILE)}.yaml`, range: R(12) } },
      { type: 'addToleration', index: 0, taint: { key: HOSTILE, value: HOSTILE2, effect: 'NoSchedule' } },
      { type: 'showPod', index: 0, node: 'cp-1' },
    ]);
  });

  it('filters nodes by name, label, taint or verdict, and remembers the filter', () => {
    app.render(buildPreviewModel(hostileResult()));
    app.setFilter('pending');
    const visible = () => Array.from(root.querySelectorAll<HTMLElement>('li.node')).filter((e) => !e.hidden).map((e) => e.dataset.node);
    assert.deepEqual(visible(), [HOSTILE2]);
    assert.equal(root.querySelector('.filter-count')!.textContent, '1 of 4 nodes');
    app.setFilter('WORKER');
    assert.deepEqual(visible(), ['worker-1']);
    app.setFilter('x=<img');
    assert.deepEqual(visible(), [HOSTILE]);
    assert.deepEqual(state, { filter: 'x=<img', uri: hostileResult().uri });
    // A new update keeps the filter.
    app.render(buildPreviewModel(hostileResult()));
    assert.deepEqual(visible(), [HOSTILE]);
    assert.equal(root.querySelector<HTMLInputElement>('input.filter')!.value, 'x=<img');
  });

  it('highlights what changed for a few seconds and announces it', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const before = hostileResult();
    app.render(buildPreviewModel(before));
    app.render(buildPreviewModel(hostileResult('new-1'), { previous: before }));
    const row = nodeEl('new-1');
    assert.equal(row.dataset.changed, 'added');
    assert.ok(row.classList.contains('changed'));
    const live = root.querySelector('.changes')!;
    assert.equal(live.querySelector('[data-change="node-added"]')!.textContent, 'Node new-1 added: a pod will be created.');
    const announcer = root.querySelector('.announcer')!;
    assert.equal(announcer.textContent, 'Node new-1 added: a pod will be created.', 'the persistent live region announces it');
    assert.equal(root.firstElementChild, announcer, 'the same live region across updates');
    mock.timers.tick(HIGHLIGHT_MS);
    assert.ok(!row.classList.contains('changed'));
  });

  it('a row highlighted again keeps the newer highlight for the full time', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const before = hostileResult();
    const model = buildPreviewModel(hostileResult('new-1'), { previous: before });
    app.render(buildPreviewModel(before));
    app.render(model);
    const row = nodeEl('new-1');
    mock.timers.tick(HIGHLIGHT_MS - 1000);
    // The same change delivered again (the row is reused, unchanged): a new highlight starts now.
    app.render(model);
    assert.equal(nodeEl('new-1'), row, 'the row is reused');
    mock.timers.tick(1000);
    assert.ok(row.classList.contains('changed'), 'the earlier timer does not end the newer highlight');
    assert.equal(row.dataset.changed, 'added');
    mock.timers.tick(HIGHLIGHT_MS - 1000);
    assert.ok(!row.classList.contains('changed'));
    assert.equal(row.dataset.changed, undefined);
  });

  it('saves the manifest shown with the filter, for the preview restored after a reload', () => {
    const r = hostileResult();
    app.render(buildPreviewModel(r));
    assert.deepEqual(state, { filter: '', uri: r.uri });
    app.setFilter('worker');
    assert.deepEqual(state, { filter: 'worker', uri: r.uri });
    // A new webview starts from the saved state and keeps it.
    const again = createApp(document, document.createElement('main'), { postMessage: () => undefined, getState: () => state, setState: (s) => (state = s) });
    again.setFilter('cp');
    assert.deepEqual(state, { filter: 'cp', uri: r.uri });
    app.render(buildPreviewModel(null));
    assert.deepEqual(state, { filter: 'worker' }, 'nothing shown: nothing to restore');
  });

  it('without a cluster file shows the taint rules and how to get a cluster file', () => {
    const r = hostileResult();
    const model = buildPreviewModel({ ...r, cluster: undefined, nodes: [], daemonSets: [{ ...r.daemonSets[0], placement: undefined }] });
    app.render(model);
    assert.equal(root.dataset.state, 'rules');
    assert.equal(root.querySelectorAll('li.node').length, 0);
    assert.ok(root.querySelector('pre.command-line')!.textContent!.includes('kubectl get nodes -o yaml > cluster.yaml'));
    root.querySelector<HTMLElement>('[data-action="create-sample"]')!.click();
    const rule = root.querySelector<HTMLElement>('li.rule')!;
    assert.equal(rule.dataset.tolerated, 'false');
    assert.equal(rule.querySelector('code')!.textContent, `${HOSTILE}:NoSchedule`);
    rule.querySelector<HTMLElement>('[data-action="add-toleration"]')!.click();
    assert.deepEqual(posted, [
      { type: 'command', command: 'createSampleClusterFile' },
      { type: 'addToleration', index: 0, taint: { key: HOSTILE, effect: 'NoSchedule' } },
    ]);
  });

  it('a DaemonSet in a template: no node list or cluster file invitation, unknown taints without a fix, a note on its tolerations', () => {
    const base = hostileResult();
    const ds: DaemonSetPlacementInfo = {
      ...base.daemonSets[0],
      name: '{{ include "fluent-bit.fullname" . }}',
      namespace: '(release namespace)',
      placement: undefined,
      template: { helm: true },
      tolerations: [{ toleration: { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }, source: 'automatic', why: 'always' }],
      rules: [
        { taint: { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }, wellKnown: true, nodes: [], toleratedBy: 0 },
        { taint: { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }, wellKnown: true, nodes: ['cp-1'] },
      ],
    };
    for (const cluster of [base.cluster, undefined]) {
      app.render(buildPreviewModel({ ...base, cluster, nodes: cluster ? base.nodes : [], daemonSets: [ds] }));
      assert.equal(root.querySelector('h2.daemonset-title')!.textContent, '(release namespace)/{{ include "fluent-bit.fullname" . }}');
      assert.equal(root.querySelectorAll('li.node').length, 0);
      assert.doesNotMatch(root.textContent ?? '', /The cluster file has no nodes\./);
      assert.equal(root.querySelector('section.no-cluster'), null);
      const rules = Array.from(root.querySelectorAll<HTMLElement>('li.rule'));
      assert.deepEqual(rules.map((r) => [r.dataset.taint, r.dataset.tolerated, r.querySelector('.badge')!.textContent]), [
        ['node.kubernetes.io/not-ready:NoExecute', 'true', 'Tolerated'],
        ['node-role.kubernetes.io/control-plane:NoSchedule', 'unknown', 'Unknown'],
      ]);
      assert.match(rules[1].textContent!, /known once rendered/);
      assert.equal(root.querySelectorAll('[data-action="add-toleration"]').length, 0, 'no edit for a toleration a template renders');
      assert.match(root.querySelector('section.tolerations p.note')!.textContent!, /^Only the tolerations the DaemonSet controller adds to every pod are listed\./);
    }
  });

  it('a Kustomize patch with a cluster file: no node list, rather than "The cluster file has no nodes."', () => {
    const base = hostileResult();
    app.render(buildPreviewModel({ ...base, daemonSets: [{ ...base.daemonSets[0], placement: undefined, patch: true }] }));
    assert.equal(root.dataset.state, 'placement');
    assert.match(root.querySelector('p.warning')!.textContent!, /Kustomize patch/);
    assert.doesNotMatch(root.textContent ?? '', /The cluster file has no nodes\./);
    assert.equal(root.querySelector<HTMLElement>('section.nodes')!.hidden, true);
  });

  it('a template beside a placed DaemonSet: its summary line spans the count columns', () => {
    const base = hostileResult();
    const tpl: DaemonSetPlacementInfo = { ...base.daemonSets[0], index: 1, name: 'chart', placement: undefined, template: { helm: true } };
    app.render(buildPreviewModel({ ...base, daemonSets: [base.daemonSets[0], tpl] }));
    const rows = Array.from(root.querySelectorAll<HTMLElement>('.summary-table tbody tr'));
    const columns = root.querySelectorAll('.summary-table th[scope="col"]').length;
    for (const row of rows) {
      const width = Array.from(row.children).reduce((s, c) => s + ((c as HTMLTableCellElement).colSpan || 1), 0);
      assert.equal(width, columns, `row ${row.dataset.daemonset} fills the table`);
    }
    assert.match(rows[1].querySelector('td.summary-text')!.textContent!, /Helm template/);
  });

  it('an update rebuilds only the rows that changed', () => {
    const before = hostileResult();
    app.render(buildPreviewModel(before));
    const kept = nodeEl('worker-1');
    const old = nodeEl(HOSTILE2);
    const after = hostileResult();
    const v = after.daemonSets[0].placement!.nodes.find((n) => n.node === HOSTILE2)!;
    Object.assign(v, { schedulable: true, reasons: [] });
    app.render(buildPreviewModel(after, { previous: before }));
    assert.equal(nodeEl('worker-1'), kept, 'unchanged row reused');
    assert.notEqual(nodeEl(HOSTILE2), old, 'changed row rebuilt');
    assert.equal(nodeEl(HOSTILE2).dataset.verdict, 'runs');
    assert.equal(nodeEl(HOSTILE2).dataset.changed, 'verdict');
    // Reused rows still answer to clicks with their own data.
    nodeEl('worker-1').querySelector<HTMLElement>('[data-action="show-pod"]')!.click();
    assert.deepEqual(posted.at(-1), { type: 'showPod', index: 0, node: 'worker-1' });
    // The filter box is the same element across updates: focus and typing survive.
    const input = root.querySelector<HTMLInputElement>('input.filter')!;
    input.focus();
    const removed = hostileResult();
    removed.nodes = removed.nodes.filter((n) => n.name !== 'worker-1');
    removed.daemonSets[0].placement!.nodes = removed.daemonSets[0].placement!.nodes.filter((n) => n.node !== 'worker-1');
    app.render(buildPreviewModel(removed, { previous: after }));
    assert.equal(root.querySelector('input.filter'), input);
    assert.equal(document.activeElement, input);
    assert.equal(Array.from(root.querySelectorAll<HTMLElement>('li.node')).some((e) => e.dataset.node === 'worker-1'), false, 'a removed node\'s row is gone');
    assert.equal(root.querySelectorAll('li.node').length, 3);
    assert.equal(root.querySelector('[data-change="node-removed"]')!.textContent, 'Node worker-1 removed: its pod is garbage-collected.');
    // Without a cluster file no node row is left behind.
    app.render(buildPreviewModel({ ...removed, cluster: undefined, nodes: [], daemonSets: [{ ...removed.daemonSets[0], placement: undefined }] }));
    assert.equal(root.querySelectorAll('[data-node]').length, 0);
    assert.equal(root.dataset.state, 'rules');
  });

  it('an update that rebuilds one row of a large group moves no other row', async () => {
    const big = (changed: boolean): PlacementResult => {
      const r = hostileResult();
      const names = Array.from({ length: 300 }, (_, i) => `pool-node-${String(i).padStart(3, '0')}`);
      r.nodes = names.map((name) => ({ name, labels: { pool: 'general' }, taints: [], unschedulable: false }));
      r.daemonSets[0].placement!.nodes = names.map((name, i) => verdict(name, changed && i === 10 ? 'pending' : 'runs'));
      return r;
    };
    const before = big(false);
    app.render(buildPreviewModel(before));
    const ul = root.querySelector('section.group[data-group="pool:general"] ul.node-list')!;
    const removed: string[] = [];
    const observer = new window.MutationObserver((records) => {
      for (const r of records) for (const n of Array.from(r.removedNodes)) removed.push((n as unknown as HTMLElement).dataset.node ?? '');
    });
    observer.observe(ul as unknown as Parameters<typeof observer.observe>[0], { childList: true });
    app.render(buildPreviewModel(big(true), { previous: before }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    observer.disconnect();
    assert.equal(nodeEl('pool-node-010').dataset.verdict, 'pending');
    assert.deepEqual(Array.from(ul.children).map((e) => (e as HTMLElement).dataset.node), before.nodes.map((n) => n.name));
    assert.deepEqual(removed, ['pool-node-010'], 'only the rebuilt row leaves the list');
  });

  it('ignores malformed messages and keeps focus on the same control across updates', () => {
    app.onMessage(null);
    app.onMessage({ type: 'update', model: '<img src=x>' });
    app.onMessage({ type: 'nope' });
    assert.equal(root.querySelectorAll('h1, li, p, button').length, 0);
    app.render(buildPreviewModel(hostileResult()));
    const btn = nodeEl('worker-1').querySelector<HTMLElement>('.node-name')!;
    btn.focus();
    app.render(buildPreviewModel(hostileResult()));
    assert.equal((document.activeElement as HTMLElement).dataset.focus, 'node:worker-1');
  });
});
