// Performance: the per-operation table (filtered, sorted and paged on the server), trends of every operation and
// of the selected one, the bottlenecks by total time and by p99, and the call tree of nested operations.

import { h, card, setText, clear } from '../dom.js';
import { TrendChart } from '../charts.js';
import { showAnomalies } from '../anomaly.js';
import { getJson } from '../live.js';
import * as fmt from '../format.js';

const columns = [
  ['name', 'Operation', (r) => h('div', null, h('div', { class: 'op-name' }, r.name),
    h('div', null, h('span', { class: 'op-component' }, r.component), h('span', { class: 'badge kind-' + r.kind, 'data-field': 'kind' }, r.kind.replace('_', ' '))))],
  ['count', 'Calls', (r) => fmt.count(r.count)],
  ['errors', 'Errors', (r) => (r.errors ? h('span', { class: 'bad' }, fmt.count(r.errors)) : '0')],
  ['inFlight', 'In flight', (r) => fmt.count(r.inFlight)],
  ['callsPerSecond', 'Calls/s', (r) => fmt.rate(r.callsPerSecond)],
  ['p50Ms', 'p50', (r) => fmt.ms(r.p50Ms)],
  ['p95Ms', 'p95', (r) => fmt.ms(r.p95Ms)],
  ['p99Ms', 'p99', (r) => fmt.ms(r.p99Ms)],
  ['meanMs', 'Mean', (r) => fmt.ms(r.meanMs)],
  ['maxMs', 'Max', (r) => fmt.ms(r.maxMs)],
  ['totalMs', 'Total time', (r) => fmt.ms(r.totalMs)],
  ['allocatedBytesPerCall', 'Alloc/call', (r) => fmt.bytes(r.allocatedBytesPerCall)],
];

let ctx, query, els, charts, detailCharts, selectedId;

export default {
  mount(root, context) {
    ctx = context;
    query = { page: 0, size: 50, sort: 'totalMs', desc: true, q: '', selected: null };
    selectedId = null;
    const filter = h('input', { type: 'search', placeholder: 'Filter by name, component or method', 'aria-label': 'Filter operations', 'data-control': 'filter' });
    let timer = null;
    filter.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => { query.q = filter.value; query.page = 0; request(); }, 250);
    });
    els = {
      head: h('tr'),
      body: h('tbody', { 'data-table': 'operations' }),
      pager: h('div', { class: 'pager' }),
      total: h('span', { class: 'muted' }),
      byTotal: h('ol', { class: 'bottlenecks', 'data-list': 'by-total' }),
      byP99: h('ol', { class: 'bottlenecks', 'data-list': 'by-p99' }),
      tree: h('div', { class: 'call-tree', 'data-block': 'call-tree' }),
      detail: h('div', { class: 'detail', hidden: true, 'data-block': 'selected' }),
      coverage: h('p', { class: 'muted small' }),
    };
    const chartRow = h('div', { class: 'charts' });
    root.append(
      h('h1', null, 'Performance'),
      chartRow,
      card('Operations', h('div', { class: 'toolbar' }, filter, els.total), h('div', { class: 'table-wrap' }, h('table', { class: 'ops' }, h('thead', null, els.head), els.body)), els.pager),
      els.detail,
      h('div', { class: 'two' }, card('Bottlenecks by total time', els.byTotal), card('Bottlenecks by p99', els.byP99)),
      card('Call tree', els.tree),
      els.coverage,
    );
    renderHead();
    const capacity = context.capacity();
    charts = {
      throughput: new TrendChart(chartRow, { title: 'Throughput (every operation)', capacity, metric: 'perf-throughput', series: [{ label: 'calls/s' }, { label: 'errors/s', color: '#e5534b' }], format: fmt.count }),
      duration: new TrendChart(chartRow, { title: 'Duration (every operation)', capacity, metric: 'perf-duration', series: [{ label: 'p50' }, { label: 'p95' }, { label: 'p99' }], format: fmt.ms }),
    };
    loadTrends();
    request();
  },

  unmount() {
    Object.values(charts).forEach((c) => c.destroy());
    destroyDetailCharts();
    charts = null;
  },

  route(arg) {
    const id = arg && /^\d+$/.test(arg) ? arg : null;
    if (id === selectedId) return;
    selectedId = id;
    query.selected = id;
    destroyDetailCharts();
    els.detail.hidden = !id;
    clear(els.detail);
    request();
    if (id) loadOperationTrend(id);
  },

  hello() {
    loadTrends();
    if (selectedId) loadOperationTrend(selectedId);
  },

  tick(message) {
    const p = message.point;
    if (p && charts) {
      charts.throughput.push(p.time, p.callsPerSecond, p.errorsPerSecond);
      charts.duration.push(p.time, p.p50Ms, p.p95Ms, p.p99Ms);
    }
  },

  view(data) {
    renderTable(data);
    renderBottlenecks(els.byTotal, data.byTotalTime, (b) => `${fmt.ms(b.totalMs)} · ${fmt.percent(b.share)}`);
    renderBottlenecks(els.byP99, data.byP99, (b) => `p99 ${fmt.ms(b.p99Ms)}`);
    renderTree(data.callTree);
    renderSelected(data.selected);
    const t = data.trends;
    setText(els.coverage, `Trends: ${t.capacity} s kept; ${t.tracked} operations with a trend of their own (at most ${t.limit})` +
      (t.untrackedActive ? `; ${t.untrackedActive} active operations without one` : '') + '.');
  },
};

function request() {
  ctx.setView('performance', { ...query });
}

async function loadTrends() {
  const series = await getJson('api/trends');
  if (!series || !charts) return;
  charts.throughput.setData(series.times, series.callsPerSecond, series.errorsPerSecond);
  charts.duration.setData(series.times, series.p50Ms, series.p95Ms, series.p99Ms);
}

async function loadOperationTrend(id) {
  const series = await getJson('api/trends/' + encodeURIComponent(id));
  if (!series || !series.tracked || selectedId !== id || !detailCharts) return;
  detailCharts.throughput.setData(series.times, series.callsPerSecond, series.errorsPerSecond);
  detailCharts.duration.setData(series.times, series.p95Ms, series.meanMs);
}

function destroyDetailCharts() {
  if (detailCharts) Object.values(detailCharts).forEach((c) => c.destroy());
  detailCharts = null;
}

function renderHead() {
  clear(els.head);
  for (const [key, label] of columns) {
    const active = query.sort === key;
    const th = h('th', { scope: 'col', class: active ? 'sorted' : '', 'aria-sort': active ? (query.desc ? 'descending' : 'ascending') : 'none' },
      h('button', { type: 'button', 'data-sort': key }, label, active ? (query.desc ? ' ▾' : ' ▴') : ''));
    th.querySelector('button').addEventListener('click', () => {
      if (query.sort === key) query.desc = !query.desc;
      else { query.sort = key; query.desc = key !== 'name'; }
      query.page = 0;
      renderHead();
      request();
    });
    els.head.append(th);
  }
}

function renderTable(data) {
  const rows = data.rows.map((r) => {
    const tr = h('tr', { 'data-operation': r.id, class: String(r.id) === selectedId ? 'selected' : '', tabindex: 0 },
      columns.map(([key, , cell]) => h('td', { 'data-column': key }, cell(r))));
    const open = () => ctx.navigate('#/performance/' + (String(r.id) === selectedId ? '' : r.id));
    tr.addEventListener('click', open);
    tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
    return tr;
  });
  els.body.replaceChildren(...rows);
  if (rows.length === 0) els.body.append(h('tr', null, h('td', { colspan: columns.length, class: 'muted' }, data.filter ? 'No operation matches the filter.' : 'No monitored operation has been registered yet.')));
  setText(els.total, `${fmt.count(data.total)} operations`);
  clear(els.pager);
  const pages = Math.max(1, Math.ceil(data.total / data.size));
  const go = (page) => { query.page = page; request(); };
  els.pager.append(
    h('button', { type: 'button', disabled: data.page === 0, onclick: () => go(data.page - 1), 'data-control': 'previous' }, '‹ Previous'),
    h('span', null, `page ${data.page + 1} of ${pages}`),
    h('button', { type: 'button', disabled: data.page >= pages - 1, onclick: () => go(data.page + 1), 'data-control': 'next' }, 'Next ›'),
  );
}

function renderBottlenecks(list, items, describe) {
  list.replaceChildren(...items.map((b) => h('li', null,
    h('a', { href: '#/performance/' + b.id }, b.name), h('span', { class: 'op-component' }, ' ' + b.component),
    h('span', { class: 'bar-value' }, describe(b)),
    h('div', { class: 'share' }, shareBar(b.share)))));
  if (items.length === 0) list.append(h('li', { class: 'muted' }, 'No completed calls yet.'));
}

function shareBar(share) {
  const bar = h('div', { class: 'share-fill' });
  bar.style.width = Math.max(1, Math.round(share * 100)) + '%';
  return bar;
}

function renderTree(tree) {
  clear(els.tree);
  if (!tree.enabled && tree.edges.length === 0) {
    els.tree.append(h('p', { class: 'muted' }, 'Call trees are off: set monitoring.call_tree: true to see which operation runs inside which.'));
    return;
  }
  const key = (name, component) => (name === null || name === undefined ? '' : component + '\u0000' + name);
  const children = new Map();
  for (const e of tree.edges) {
    const parent = key(e.parentName, e.parentComponent);
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(e);
  }
  const build = (parentKey, depth, path) => {
    const edges = children.get(parentKey) || [];
    if (edges.length === 0) return null;
    return h('ul', null, edges.map((e) => {
      const k = key(e.name, e.component);
      const recursive = path.has(k);
      const sub = recursive || depth > 12 ? null : build(k, depth + 1, new Set([...path, k]));
      return h('li', null,
        h('span', { class: 'op-name' }, e.name), h('span', { class: 'op-component' }, ' ' + e.component),
        h('span', { class: 'muted' }, ` ${fmt.count(e.count)} calls · ${fmt.ms(e.totalMs)}${recursive ? ' · recursive' : ''}`),
        sub);
    }));
  };
  const roots = build('', 0, new Set());
  els.tree.append(roots || h('p', { class: 'muted' }, 'No nested calls recorded yet.'));
  if (tree.more > 0) els.tree.append(h('p', { class: 'muted small' }, `${tree.more} lighter edges not shown.`));
}

function renderSelected(selected) {
  if (!selected) return;
  const r = selected.row;
  if (!detailCharts) {
    clear(els.detail);
    els.detail.hidden = false;
    const info = h('dl', { class: 'facts' });
    const errors = h('ul', { class: 'error-types', 'data-list': 'error-types' });
    const row = h('div', { class: 'charts' });
    els.detail.append(card(r.name, h('p', { class: 'op-component' }, r.component), info, h('h3', null, 'Errors by type'), errors, row));
    els.detail.info = info;
    els.detail.errors = errors;
    const capacity = ctx.capacity();
    detailCharts = {
      throughput: new TrendChart(row, { title: 'Calls and errors per second', capacity, metric: 'op-throughput', series: [{ label: 'calls/s' }, { label: 'errors/s', color: '#e5534b' }], format: fmt.count }),
      duration: new TrendChart(row, { title: 'Duration', capacity, metric: 'op-duration', series: [{ label: 'p95' }, { label: 'mean' }], format: fmt.ms }),
    };
    if (!selected.hasTrend) row.append(h('p', { class: 'muted small' }, 'This operation keeps no trend: it has not run since the dashboard started, or the trend limit is reached.'));
  }
  clear(els.detail.info);
  const facts = [
    ['Method', r.method || '–'], ['Calls', fmt.count(r.count)], ['Errors', `${fmt.count(r.errors)} (${fmt.percent(r.errorRate)})`],
    ['Cancelled', fmt.count(r.cancelled)], ['p50 / p95 / p99', `${fmt.ms(r.p50Ms)} / ${fmt.ms(r.p95Ms)} / ${fmt.ms(r.p99Ms)}`],
    ['Timing', r.isSampled ? 'sampled (total time estimated)' : 'every call'],
  ];
  for (const [t, v] of facts) els.detail.info.append(h('dt', null, t), h('dd', null, v));
  els.detail.errors.replaceChildren(...r.errorTypes.map((e) => h('li', null, h('code', null, e.name), ` × ${fmt.count(e.count)}`)));
  if (r.errorTypes.length === 0) els.detail.errors.append(h('li', { class: 'muted' }, 'none'));
  if (detailCharts) showOperationAnomalies(selected.anomalies || []);
  const p = selected.point;
  if (p && detailCharts) {
    detailCharts.throughput.push(p.time, p.callsPerSecond, p.errorsPerSecond);
    detailCharts.duration.push(p.time, p.p95Ms, p.meanMs);
  }
}

// The selected operation's watched series on its charts: p95 on the duration chart, calls per second on the throughput one.
function showOperationAnomalies(anomalies) {
  showAnomalies(detailCharts.duration, anomalies.find((a) => a.metric === 'operation_p95_ms') || anomalies.find((a) => a.metric === 'operation_mean_ms') || null);
  showAnomalies(detailCharts.throughput, anomalies.find((a) => a.metric === 'operation_calls_per_second') || null);
}
