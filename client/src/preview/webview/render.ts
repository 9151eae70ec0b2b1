/**
 * The placement preview's DOM. Every piece of data becomes text through `textContent` on elements
 * made with `createElement`; nothing is ever parsed as HTML, so node names and labels such as
 * `<img src=x onerror=…>` stay text. Stable hooks for tests: `data-node`, `data-verdict`,
 * `data-group`, `data-daemonset`, `data-action`, `data-change`.
 */
import type { Location } from '../../../../server/src/protocol';
import { searchText, type Change, type HostMessage, type NodeRow, type PreviewModel, type RuleRow, type WebviewMessage } from '../viewModel';

export interface WebviewApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** The webview's state, also what the panel serializer receives after a window reload. */
export interface SavedState {
  filter: string;
  /** The manifest shown, so that a restored preview shows it again whatever editor is active. */
  uri?: string;
}

/** How long a changed row stays highlighted. */
export const HIGHLIGHT_MS = 4000;

const VERDICT_LABEL = { runs: 'Runs', pending: 'Pending', rejected: 'Rejected', refused: 'Not created', excluded: 'Excluded' } as const;
const RULE_BADGE = {
  tolerated: { cls: 'badge-runs', label: 'Tolerated' },
  'not-tolerated': { cls: 'badge-excluded', label: 'Not tolerated' },
  unknown: { cls: 'badge-unknown', label: 'Unknown' },
} as const;

export interface PreviewApp {
  /** Handles a message from the extension; ignores anything malformed. */
  onMessage(data: unknown): void;
  render(model: PreviewModel): void;
  /** Applies the filter box text (also what typing in the box does). */
  setFilter(text: string): void;
}

export function createApp(doc: Document, root: HTMLElement, api: WebviewApi): PreviewApp {
  const saved = readState(api.getState());
  let filter = saved.filter;
  let shownUri = saved.uri;
  let current: PreviewModel | undefined;
  /** Rows of the last render by node name, with the content they were built from. */
  let rowCache = new Map<string, { key: string; el: HTMLElement }>();
  let nextRowCache = new Map<string, { key: string; el: HTMLElement }>();
  /** The pending end of each highlighted row's highlight. */
  const highlightTimers = new WeakMap<HTMLElement, ReturnType<typeof setTimeout>>();
  // A live region must outlive the updates to be announced, so it is created once; the rest is re-rendered in `content`.
  const announcer = doc.createElement('div');
  announcer.className = 'announcer';
  announcer.setAttribute('role', 'status');
  announcer.setAttribute('aria-live', 'polite');
  const content = doc.createElement('div');
  content.className = 'content';
  root.replaceChildren(announcer, content);
  // The node list persists across updates and is patched in place (a 1,000-node list is not rebuilt,
  // and the filter box keeps focus and caret); what is above and below it is re-rendered.
  const top = doc.createElement('div');
  const nodesHost = doc.createElement('section');
  nodesHost.className = 'nodes';
  nodesHost.setAttribute('aria-label', 'Nodes');
  nodesHost.hidden = true;
  const bottom = doc.createElement('div');
  content.append(top, nodesHost, bottom);
  const groupEls = new Map<string, { section: HTMLElement; title: HTMLElement; ul: HTMLElement }>();
  let groupsHost: HTMLElement | undefined;
  let filterInput: HTMLInputElement | undefined;

  function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
    const e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function button(text: string, action: string, onClick: () => void, cls = 'link'): HTMLButtonElement {
    const b = el('button', cls, text);
    b.type = 'button';
    b.dataset.action = action;
    b.addEventListener('click', onClick);
    return b;
  }

  function revealButton(text: string, target: Location | undefined, action: string, cls = 'link'): HTMLElement {
    if (!target) return el('span', 'text', text);
    return button(text, action, () => api.postMessage({ type: 'reveal', target }), cls);
  }

  function saveState(): void {
    api.setState({ filter, ...(shownUri ? { uri: shownUri } : {}) } satisfies SavedState);
  }

  function render(model: PreviewModel): void {
    current = model;
    if ((model.fileUri || undefined) !== shownUri) {
      shownUri = model.fileUri || undefined;
      saveState();
    }
    const focusKey = (doc.activeElement as HTMLElement | null)?.dataset?.focus;
    nextRowCache = new Map();
    top.replaceChildren();
    bottom.replaceChildren();
    let showNodes = false;
    root.dataset.state = model.state;

    const header = el('header', 'header');
    const h1 = el('h1', 'title', model.fileName ? `DaemonSet placement · ${model.fileName}` : 'DaemonSet placement');
    header.append(h1);
    if (model.cluster) {
      const p = el('p', 'cluster');
      p.append(el('span', 'label', 'Cluster file: '));
      const open = revealButton(model.cluster.fileName, { uri: model.cluster.uri, range: zeroRange() }, 'open-cluster');
      open.dataset.focus = 'open-cluster';
      p.append(open);
      const details = `${model.cluster.nodeCount} node${model.cluster.nodeCount === 1 ? '' : 's'}` +
        (model.cluster.podCount ? `, ${model.cluster.podCount} pod${model.cluster.podCount === 1 ? '' : 's'}` : '') +
        (model.cluster.source === 'discovered' ? ', found in the workspace' : '') +
        (model.cluster.problems ? `, ${model.cluster.problems} problem${model.cluster.problems === 1 ? '' : 's'}` : '');
      p.append(el('span', 'muted', ` (${details}) `));
      const change = button('Change…', 'select-cluster-file', () => api.postMessage({ type: 'command', command: 'selectClusterFile' }), 'secondary');
      change.dataset.focus = 'select-cluster-file';
      p.append(change);
      header.append(p);
    }
    top.append(header);

    // What changed: shown here, and announced by the persistent live region.
    announcer.textContent = model.changes.map((c) => c.text).join(' ');
    const live = el('div', 'changes');
    if (model.changes.length > 0) {
      const ul = el('ul', 'change-list');
      ul.setAttribute('aria-label', 'What changed');
      for (const c of model.changes) ul.append(changeItem(c));
      live.append(ul);
      live.classList.add('has-changes');
    }
    top.append(live);

    if (model.state === 'empty') {
      top.append(el('p', 'empty-message', model.message ?? 'Nothing to show.'));
      if (!model.cluster) top.append(noClusterSection());
      nodesHost.hidden = true;
      clearNodes();
      rowCache = nextRowCache;
      restoreFocus(focusKey);
      return;
    }

    if (model.summaries.length > 0) top.append(summarySection(model));
    const active = model.active;
    if (active) {
      const section = el('section', 'daemonset');
      section.dataset.daemonset = `${active.namespace}/${active.name}`;
      const h2 = el('h2', 'daemonset-title');
      const name = revealButton(`${active.namespace}/${active.name}`, active.link, 'reveal-daemonset');
      name.dataset.focus = 'reveal-daemonset';
      h2.append(name);
      section.append(h2);

      for (const w of active.warnings) {
        const p = el('p', 'warning', w);
        p.setAttribute('role', 'note');
        section.append(p);
      }
      // A template or a patch is placed by no cluster file: no invitation to export one, and no node list
      // (an empty one would say the cluster file has no nodes).
      if (model.state === 'rules') {
        if (!active.notPlaced) section.append(noClusterSection());
      } else if (!active.notPlaced) {
        if (active.reconcile || active.rollingUpdate) {
          const plan = el('div', 'plan');
          if (active.reconcile) plan.append(el('p', 'reconcile', active.reconcile.text));
          if (active.rollingUpdate) plan.append(el('p', 'rolling-update', active.rollingUpdate.text));
          section.append(plan);
        }
        updateNodes(model);
        showNodes = true;
      }
      top.append(section);
      bottom.append(rulesSection(active.rules, active.index, model.state === 'placement'));
      bottom.append(tolerationsSection(model));
    }
    nodesHost.hidden = !showNodes;
    if (!showNodes) clearNodes();
    rowCache = nextRowCache;
    applyFilter();
    restoreFocus(focusKey);
  }

  function changeItem(c: Change): HTMLElement {
    const li = el('li', 'change', c.text);
    li.dataset.change = c.kind;
    return li;
  }

  function summarySection(model: PreviewModel): HTMLElement {
    const section = el('section', 'summary');
    section.setAttribute('aria-label', 'DaemonSets in this file');
    const table = el('table', 'summary-table');
    const thead = el('thead');
    const hr = el('tr');
    // The Rejected column shows only when the kubelet rejects pods of a DaemonSet of the file.
    const rejected = model.summaries.some((s) => (s.counts?.rejected ?? 0) > 0);
    // Likewise Not created, when the API server refuses the pods of one.
    const refused = model.summaries.some((s) => (s.counts?.refused ?? 0) > 0);
    const cols = model.state === 'placement' ? ['DaemonSet', 'Desired', 'Will run', 'Pending', ...(rejected ? ['Rejected'] : []), ...(refused ? ['Not created'] : []), 'Excluded'] : ['DaemonSet', 'Taints'];
    for (const c of cols) {
      const th = el('th', undefined, c);
      th.scope = 'col';
      hr.append(th);
    }
    thead.append(hr);
    table.append(thead);
    const tbody = el('tbody');
    for (const s of model.summaries) {
      const tr = el('tr', s.active ? 'active' : undefined);
      tr.dataset.daemonset = `${s.namespace}/${s.name}`;
      if (s.active) tr.setAttribute('aria-current', 'true');
      const th = el('th');
      th.scope = 'row';
      const b = button(`${s.namespace}/${s.name}`, 'select-daemonset', () => api.postMessage({ type: 'selectDaemonSet', index: s.index }));
      b.dataset.focus = `ds:${s.index}`;
      b.title = s.text;
      th.append(b);
      tr.append(th);
      if (s.counts) {
        const counts = [['desired', s.counts.desired], ['runs', s.counts.runs], ['pending', s.counts.pending], ...(rejected ? [['rejected', s.counts.rejected]] as const : []), ...(refused ? [['refused', s.counts.refused ?? 0]] as const : []), ['excluded', s.counts.excluded]] as const;
        for (const [k, v] of counts) {
          const td = el('td', `count count-${k}`, String(v));
          td.dataset.count = k;
          tr.append(td);
        }
      } else {
        // A template or a patch beside placed DaemonSets has no counts: its line spans their columns.
        const td = el('td', 'summary-text', s.text);
        td.colSpan = cols.length - 1;
        tr.append(td);
      }
      tbody.append(tr);
    }
    table.append(tbody);
    section.append(table);
    return section;
  }

  function updateNodes(model: PreviewModel): void {
    const active = model.active!;
    if (!groupsHost) {
      const bar = el('div', 'filter-bar');
      const input = el('input', 'filter');
      input.type = 'search';
      input.placeholder = 'Filter nodes: name, label, taint, runs, pending, excluded…';
      input.setAttribute('aria-label', 'Filter nodes');
      input.dataset.focus = 'filter';
      input.value = filter;
      input.addEventListener('input', () => setFilter(input.value));
      bar.append(input);
      const count = el('span', 'filter-count');
      count.setAttribute('aria-live', 'polite');
      bar.append(count);
      groupsHost = el('div', 'groups');
      nodesHost.append(bar, groupsHost);
      filterInput = input;
    }
    const wanted: HTMLElement[] = [];
    const seen = new Set<string>();
    for (const g of active.groups) {
      let ge = groupEls.get(g.id);
      if (!ge) {
        const section = el('section', 'group');
        section.dataset.group = g.id;
        const title = el('h3', 'group-title');
        const ul = el('ul', 'node-list');
        ul.addEventListener('keydown', (e) => moveFocus(e, nodesHost));
        section.append(title, ul);
        ge = { section, title, ul };
        groupEls.set(g.id, ge);
      }
      const rejectedCount = g.counts.rejected ? `, ${g.counts.rejected} rejected` : '';
      const refusedCount = g.counts.refused ? `, ${g.counts.refused} not created` : '';
      ge.title.replaceChildren(doc.createTextNode(g.title), el('span', 'group-counts', ` · ${g.counts.runs} run, ${g.counts.pending} pending${rejectedCount}${refusedCount}, ${g.counts.excluded} excluded`));
      ge.ul.setAttribute('aria-label', g.title);
      patchChildren(ge.ul, g.nodes.map((n) => nodeItem(n, active.index, model.state === 'placement')));
      wanted.push(ge.section);
      seen.add(g.id);
    }
    if (active.groups.length === 0) wanted.push(el('p', 'empty-message', 'The cluster file has no nodes.'));
    patchChildren(groupsHost, wanted);
    for (const id of [...groupEls.keys()]) if (!seen.has(id)) groupEls.delete(id);
  }

  function clearNodes(): void {
    if (groupsHost) groupsHost.replaceChildren();
    groupEls.clear();
  }

  /** Makes `parent`'s children exactly `wanted`, moving only what is out of place. */
  function patchChildren(parent: HTMLElement, wanted: HTMLElement[]): void {
    // Rows that go (rebuilt or removed) leave first: left in place, each would push every row after
    // it out and back in (a detach and re-insert per row, which also drops the focus of a moved row).
    const keep = new Set<Element>(wanted);
    for (const child of Array.from(parent.children)) if (!keep.has(child)) child.remove();
    for (let i = 0; i < wanted.length; i++) {
      const cur = parent.children[i];
      if (cur !== wanted[i]) parent.insertBefore(wanted[i], cur ?? null);
    }
    while (parent.children.length > wanted.length) parent.lastElementChild!.remove();
  }

  /**
   * A node's row, reused from the previous render when nothing in it changed: an update of a
   * 1,000-node preview rebuilds only the rows that differ.
   */
  function nodeItem(n: NodeRow, dsIndex: number, withCluster: boolean): HTMLElement {
    const { changed, ...content } = n;
    const key = JSON.stringify([dsIndex, withCluster, content]);
    const hit = rowCache.get(n.name);
    const li = hit && hit.key === key ? hit.el : buildNodeItem(content, dsIndex, withCluster);
    nextRowCache.set(n.name, { key, el: li });
    if (changed) {
      li.dataset.changed = changed;
      li.classList.add('changed');
      // A row flagged again while still highlighted keeps its highlight for the full time from now:
      // the earlier flag's timer must not end the newer one.
      const pending = highlightTimers.get(li);
      if (pending !== undefined) clearTimeout(pending);
      highlightTimers.set(li, setTimeout(() => {
        highlightTimers.delete(li);
        li.classList.remove('changed');
        delete li.dataset.changed;
      }, HIGHLIGHT_MS));
    }
    return li;
  }

  function buildNodeItem(n: Omit<NodeRow, 'changed'>, dsIndex: number, withCluster: boolean): HTMLElement {
    const li = el('li', `node verdict-${n.verdict}`);
    li.dataset.node = n.name;
    li.dataset.verdict = n.verdict;
    searchOf.set(li, searchText(n));
    const head = el('div', 'node-head');
    const name = revealButton(n.name, n.link, 'open-node', 'link node-name');
    name.dataset.focus = `node:${n.name}`;
    head.append(name);
    const badge = el('span', `badge badge-${n.verdict}`, VERDICT_LABEL[n.verdict]);
    // "Runs after preempting 1 pod", "Pending: Insufficient cpu": the badge alone says only the verdict.
    badge.title = n.headline;
    head.append(badge);
    if (withCluster) {
      const pod = button('Show pod', 'show-pod', () => api.postMessage({ type: 'showPod', index: dsIndex, node: n.name }), 'secondary small');
      pod.dataset.focus = `pod:${n.name}`;
      pod.setAttribute('aria-label', `Show the pod created on ${n.name}`);
      head.append(pod);
    }
    li.append(head);
    if (n.reasons.length > 0) {
      const ul = el('ul', 'reasons');
      for (const [i, r] of n.reasons.entries()) {
        const item = el('li', 'reason');
        item.dataset.reason = r.code;
        const link = revealButton(r.text, r.link, 'reveal-reason');
        link.dataset.focus = `reason:${n.name}:${i}`;
        item.append(link);
        if (r.taint) {
          const taint = r.taint;
          const add = button('Add toleration', 'add-toleration', () => api.postMessage({ type: 'addToleration', index: dsIndex, taint }), 'secondary small');
          add.dataset.focus = `add:${n.name}:${i}`;
          add.setAttribute('aria-label', `Add a toleration for ${taint.key}:${taint.effect}`);
          item.append(add);
        }
        ul.append(item);
      }
      li.append(ul);
    }
    for (const note of n.notes) li.append(el('p', 'note', note));
    if (n.plan.length > 0) {
      const ul = el('ul', 'node-plan');
      ul.setAttribute('aria-label', `Next sync on ${n.name}`);
      for (const p of n.plan) {
        const item = el('li', `plan-${p.action}`, p.text);
        item.dataset.plan = p.action;
        ul.append(item);
      }
      li.append(ul);
    }
    if (n.taints.length > 0) li.append(el('p', 'taints', `Taints: ${n.taints.join(', ')}`));
    return li;
  }

  function rulesSection(rules: RuleRow[], dsIndex: number, withCluster: boolean): HTMLElement {
    const section = el('section', 'rules');
    section.setAttribute('aria-label', 'Taints and tolerations');
    section.append(el('h3', 'section-title', withCluster ? 'Taints in the cluster and well-known taints' : 'Which taints this DaemonSet tolerates'));
    const ul = el('ul', 'rule-list');
    for (const r of rules) {
      // In a template, a taint the controller's tolerations do not cover is unknown until it is rendered.
      const state = r.tolerated ? 'tolerated' : r.unknown !== undefined ? 'unknown' : 'not-tolerated';
      const li = el('li', `rule ${state}`);
      li.dataset.taint = r.text;
      li.dataset.tolerated = state === 'unknown' ? state : String(r.tolerated);
      li.append(el('span', `badge ${RULE_BADGE[state].cls}`, RULE_BADGE[state].label));
      li.append(el('code', 'taint', r.text));
      if (r.by) {
        li.append(el('span', 'muted', ' by '));
        li.append(revealButton(r.by, r.byLink, 'reveal-toleration'));
      }
      if (r.unknown !== undefined) {
        li.append(el('span', 'muted', ` · ${r.unknown}`));
      } else if (!r.tolerated) {
        const taint = r.taint;
        const add = button('Add toleration', 'add-toleration', () => api.postMessage({ type: 'addToleration', index: dsIndex, taint }), 'secondary small');
        add.dataset.focus = `rule-add:${r.text}`;
        add.setAttribute('aria-label', `Add a toleration for ${r.text}`);
        li.append(add);
      }
      if (r.nodes.length > 0) li.append(el('p', 'muted', `On ${r.nodes.length} node${r.nodes.length === 1 ? '' : 's'}: ${r.nodes.slice(0, 8).join(', ')}${r.nodes.length > 8 ? ', …' : ''}`));
      if (r.description) li.append(el('p', 'description', r.description));
      ul.append(li);
    }
    section.append(ul);
    return section;
  }

  function tolerationsSection(model: PreviewModel): HTMLElement {
    const active = model.active!;
    const section = el('section', 'tolerations');
    section.setAttribute('aria-label', 'Tolerations of the pods');
    section.append(el('h3', 'section-title', 'Tolerations of the pods'));
    const ul = el('ul', 'toleration-list');
    for (const t of active.tolerations) {
      const li = el('li', `toleration source-${t.source}`);
      li.dataset.source = t.source;
      li.append(revealButton(t.text, t.link, 'reveal-toleration'));
      li.append(el('span', 'muted', t.source === 'automatic' ? ` · added by the controller${t.why ? ` (${t.why})` : ''}` : ' · from the manifest'));
      ul.append(li);
    }
    section.append(ul);
    if (active.tolerationsNote) section.append(el('p', 'note', active.tolerationsNote));
    return section;
  }

  function noClusterSection(): HTMLElement {
    const section = el('section', 'no-cluster');
    section.setAttribute('aria-label', 'No cluster file');
    section.append(el('h3', 'section-title', 'No cluster file'));
    section.append(el('p', undefined, 'To see on which nodes this DaemonSet runs, save your nodes to a file in the workspace:'));
    section.append(el('pre', 'command-line', 'kubectl get nodes -o yaml > cluster.yaml'));
    section.append(el('p', undefined, 'Add pods too (kubectl get nodes,pods -A -o yaml) to see what the next sync creates and deletes. Or start from a sample cluster file.'));
    const actions = el('div', 'actions');
    actions.append(button('Create a sample cluster file', 'create-sample', () => api.postMessage({ type: 'command', command: 'createSampleClusterFile' }), 'primary'));
    actions.append(button('Select a cluster file…', 'select-cluster-file', () => api.postMessage({ type: 'command', command: 'selectClusterFile' }), 'secondary'));
    actions.append(button('How to export nodes', 'explain-cluster-file', () => api.postMessage({ type: 'command', command: 'explainClusterFile' }), 'secondary'));
    section.append(actions);
    return section;
  }

  function setFilter(text: string): void {
    filter = text;
    saveState();
    applyFilter();
  }

  /** Search text per row element, computed once per render. */
  const searchOf = new WeakMap<HTMLElement, string>();

  function applyFilter(): void {
    const tokens = filter.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    let total = 0;
    for (const g of Array.from(root.querySelectorAll<HTMLElement>('section.group'))) {
      let visible = 0;
      for (const li of Array.from(g.querySelectorAll<HTMLElement>('li.node'))) {
        total++;
        const text = searchOf.get(li) ?? '';
        const match = tokens.every((t) => text.includes(t));
        if (li.hidden === match) li.hidden = !match;
        if (match) visible++;
      }
      g.hidden = visible === 0;
      shown += visible;
    }
    const count = root.querySelector<HTMLElement>('.filter-count');
    if (count) count.textContent = tokens.length ? `${shown} of ${total} nodes` : `${total} node${total === 1 ? '' : 's'}`;
  }

  /** Arrow keys move between node names (a roving list, like VS Code's lists); Tab still walks every button. */
  function moveFocus(e: KeyboardEvent, scope: HTMLElement): void {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
    const names = Array.from(scope.querySelectorAll<HTMLElement>('li.node:not([hidden]) .node-name'))
      .filter((n) => !(n.closest('section.group') as HTMLElement | null)?.hidden);
    if (names.length === 0) return;
    const at = names.findIndex((n) => n === doc.activeElement || n.parentElement?.parentElement?.contains(doc.activeElement));
    let next = at;
    if (e.key === 'ArrowDown') next = Math.min(names.length - 1, at + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, at - 1);
    else if (e.key === 'Home') next = 0;
    else next = names.length - 1;
    e.preventDefault();
    names[next]?.focus();
  }

  function restoreFocus(key: string | undefined): void {
    if (!key) return;
    for (const e of Array.from(root.querySelectorAll<HTMLElement>('[data-focus]'))) {
      if (e.dataset.focus === key) {
        e.focus();
        return;
      }
    }
  }

  function onMessage(data: unknown): void {
    const msg = data as HostMessage | undefined;
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === 'update' && msg.model && typeof msg.model === 'object' && Array.isArray(msg.model.summaries)) {
      render(msg.model);
    } else if (msg.type === 'busy') {
      root.setAttribute('aria-busy', 'true');
      return;
    }
    root.removeAttribute('aria-busy');
  }

  return {
    onMessage,
    render,
    setFilter(text: string) {
      if (filterInput) filterInput.value = text;
      setFilter(text);
    },
    get model() {
      return current;
    },
  } as PreviewApp;
}

function readState(s: unknown): SavedState {
  const o = s as Partial<SavedState> | undefined;
  return { filter: o && typeof o.filter === 'string' ? o.filter : '', ...(o && typeof o.uri === 'string' && o.uri ? { uri: o.uri } : {}) };
}

function zeroRange() {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}
