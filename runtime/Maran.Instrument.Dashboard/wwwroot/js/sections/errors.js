// Errors: the error tracker's window of whole hours by category, type, component and severity, one bar per hour,
// the operations that fail most, the groups (filtered, sorted and paged on the server) and, for the group chosen
// (#/errors/<fingerprint>), its latest occurrences with their stack traces, context tags and trace links. A group is
// resolved from here with a POST carrying the dashboard's CSRF token; the list shows the change at the next tick.

import { h, card, tile, setText, clear } from '../dom.js';
import { TrendChart } from '../charts.js';
import { postJson } from '../live.js';
import * as fmt from '../format.js';

const windows = [1, 6, 24, 168, 720];
const statuses = ['new', 'ongoing', 'regressed', 'resolved'];
const sorts = [['lastSeen', 'last seen'], ['countInWindow', 'most in window'], ['count', 'most ever'], ['firstSeen', 'first seen']];

let ctx, els, query, chart, chartHours, tiles, selected, shownDetail, expanded;

export default {
  mount(root, context) {
    ctx = context;
    query = { page: 0, size: 25, sort: 'lastSeen', desc: true, q: '', level: '', selected: null, hours: 24 };
    selected = null;
    chartHours = null;
    shownDetail = null;
    expanded = new Map();
    const hours = h('select', { 'aria-label': 'Window', 'data-control': 'hours' },
      windows.map((n) => h('option', { value: n, selected: n === 24 }, 'last ' + fmt.hours(n))));
    hours.addEventListener('change', () => { query.hours = Number(hours.value); query.page = 0; request(); });
    const filter = h('input', { type: 'search', placeholder: 'Filter by message, type, component or operation', 'aria-label': 'Filter groups', 'data-control': 'filter' });
    let timer = null;
    filter.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => { query.q = filter.value; query.page = 0; request(); }, 250);
    });
    const status = h('select', { 'aria-label': 'Status', 'data-control': 'status' },
      h('option', { value: '' }, 'every status'), statuses.map((s) => h('option', { value: s }, s)));
    status.addEventListener('change', () => { query.level = status.value; query.page = 0; request(); });
    const sort = h('select', { 'aria-label': 'Order', 'data-control': 'sort' }, sorts.map(([value, label]) => h('option', { value }, label)));
    sort.addEventListener('change', () => { query.sort = sort.value; query.page = 0; request(); });
    tiles = {
      total: tile('errors-total', 'Errors', ''),
      groups: tile('error-groups', 'Groups', 'kept'),
      category: tile('top-category', 'Most common category', ''),
      severity: tile('top-severity', 'Most common severity', ''),
    };
    els = {
      note: h('p', { class: 'muted', 'data-block': 'errors-note' }),
      chartRow: h('div', { class: 'charts' }),
      byCategory: h('div', { 'data-block': 'by-category' }),
      bySeverity: h('div', { 'data-block': 'by-severity' }),
      byType: h('div', { 'data-block': 'by-type' }),
      byComponent: h('div', { 'data-block': 'by-component' }),
      rates: h('tbody', { 'data-table': 'error-rates' }),
      groups: h('tbody', { 'data-table': 'error-groups' }),
      groupsTotal: h('span', { class: 'muted' }),
      pager: h('div', { class: 'pager' }),
      detail: h('div', { 'data-block': 'group', hidden: true }),
      actionStatus: h('p', { class: 'small', 'data-field': 'action-status', role: 'status' }),
    };
    const table = (heads, body) => h('div', { class: 'table-wrap' }, h('table', { class: 'ops list' },
      h('thead', null, h('tr', null, heads.map((t) => h('th', { scope: 'col' }, t)))), body));
    root.append(
      h('h1', null, 'Errors'),
      h('div', { class: 'toolbar' }, hours),
      els.note,
      h('div', { class: 'tiles' }, Object.values(tiles).map((t) => t.el)),
      els.chartRow,
      h('div', { class: 'two' }, card('By category', els.byCategory), card('By severity', els.bySeverity)),
      h('div', { class: 'two' }, card('By type', els.byType), card('By component', els.byComponent)),
      card('Groups', h('div', { class: 'toolbar wrap' }, filter, status, sort, els.groupsTotal),
        table(['Status', 'Group', 'Where', 'First seen', 'Last seen', 'In window', 'Ever'], els.groups), els.pager),
      els.detail,
      card('Operations that fail most', table(['Operation', 'Errors', 'Calls', 'Error rate'], els.rates)),
    );
    request();
  },

  unmount() {
    if (chart) chart.destroy();
    chart = null;
  },

  // #/errors/<fingerprint> opens one group.
  route(arg) {
    const fingerprint = arg || null;
    if (fingerprint === selected) return;
    selected = fingerprint;
    query.selected = fingerprint;
    els.detail.hidden = !fingerprint;
    clear(els.detail);
    setText(els.actionStatus, '');
    shownDetail = null;
    expanded = new Map();
    request();
  },

  view(data) {
    setText(els.note, data.message || `Whole clock hours from ${fmt.moment(data.from)}, the current one included.`);
    setText(tiles.total.value, fmt.count(data.total));
    setText(tiles.total.note, 'last ' + fmt.hours(data.hours));
    setText(tiles.groups.value, fmt.count(data.groups.kept));
    const category = data.byCategory.top[0];
    setText(tiles.category.value, category ? category.name : 'none');
    setText(tiles.category.note, category ? `${fmt.count(category.count)} of ${fmt.count(data.total)}` : '');
    const severity = data.bySeverity.top[0];
    setText(tiles.severity.value, severity ? severity.name : 'none');
    setText(tiles.severity.note, severity ? `${fmt.count(severity.count)} of ${fmt.count(data.total)}` : '');
    renderChart(data);
    distribution(els.byCategory, data.byCategory, 'categories');
    distribution(els.bySeverity, data.bySeverity, 'severities');
    distribution(els.byType, data.byType, 'types');
    distribution(els.byComponent, data.byComponent, 'components');
    renderGroups(data.groups);
    renderRates(data.rates);
    if (data.selected) renderDetail(data.selected);
  },
};

function request() {
  ctx.setView('errors', { ...query });
}

function renderChart(data) {
  if (chart && chartHours !== data.hours) {
    chart.destroy();
    chart = null;
  }
  if (!chart) {
    chartHours = data.hours;
    chart = new TrendChart(els.chartRow, {
      title: 'Errors per hour', capacity: 100000, metric: 'errors-hourly', height: 180, step: 3600,
      series: [{ label: 'errors', color: '#e5534b', bars: true }], format: (v) => fmt.count(v),
    });
  }
  chart.setData(data.trend.times, data.trend.counts);
}

function distribution(el, dist, noun) {
  clear(el);
  if (dist.top.length === 0) {
    el.append(h('p', { class: 'muted' }, 'No error in this window.'));
    return;
  }
  const largest = Math.max(...dist.top.map((c) => c.count), 1);
  el.append(h('ul', { class: 'bars', 'data-list': noun }, dist.top.map((c) => {
    const fill = h('div', { class: 'share-fill' });
    fill.style.width = (c.count / largest) * 100 + '%';
    return h('li', { 'data-name': c.name }, h('span', { class: 'bar-value' }, fmt.count(c.count)), h('span', { class: 'bar-name' }, c.name), h('div', { class: 'share' }, fill));
  })));
  if (dist.omitted > 0) el.append(h('p', { class: 'muted small' }, `and ${fmt.count(dist.omitted)} more ${noun} with ${fmt.count(dist.omittedCount)} errors`));
}

function statusBadge(status) {
  const cls = status === 'regressed' ? 'critical' : status === 'new' ? 'warning' : status === 'resolved' ? 'resolved' : 'info';
  return h('span', { class: 'badge sev-' + cls, 'data-status': status }, status);
}

function where(component, operation) {
  return [component, operation].filter(Boolean).join(' · ');
}

function renderGroups(groups) {
  setText(els.groupsTotal, `${fmt.count(groups.total)} of ${fmt.count(groups.kept)} groups`);
  els.groups.replaceChildren(...groups.rows.map((g) => {
    const tr = h('tr', { 'data-group': g.fingerprint, class: g.fingerprint === selected ? 'selected' : '', tabindex: 0 },
      h('td', null, statusBadge(g.status)),
      h('td', { class: 'wrap-cell' }, h('div', { class: 'op-name', 'data-field': 'title' }, g.title),
        h('div', { class: 'small muted' }, g.type, ' · ', g.category)),
      h('td', { class: 'wrap-cell op-component' }, where(g.component, g.operation)),
      h('td', { class: 'nowrap' }, fmt.moment(g.firstSeen)),
      h('td', { class: 'nowrap' }, fmt.moment(g.lastSeen)),
      h('td', { 'data-field': 'in-window' }, fmt.count(g.countInWindow)),
      h('td', { 'data-field': 'count' }, fmt.count(g.count)));
    const open = () => ctx.navigate('#/errors/' + encodeURIComponent(g.fingerprint));
    tr.addEventListener('click', open);
    tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
    return tr;
  }));
  if (groups.rows.length === 0) {
    const filtered = groups.filter || groups.status;
    els.groups.append(h('tr', null, h('td', { colspan: 7, class: 'muted' }, filtered ? 'No group matches these filters.' : 'No error tracked yet.')));
  }
  clear(els.pager);
  const pages = Math.max(1, Math.ceil(groups.total / groups.size));
  els.pager.append(
    h('button', { type: 'button', disabled: groups.page === 0, 'data-control': 'groups-previous', onclick: () => { query.page = Math.max(0, groups.page - 1); request(); } }, '‹ Previous'),
    h('span', null, `page ${groups.page + 1} of ${pages}`),
    h('button', { type: 'button', disabled: groups.page + 1 >= pages, 'data-control': 'groups-next', onclick: () => { query.page = groups.page + 1; request(); } }, 'Next ›'),
  );
}

function renderRates(rates) {
  els.rates.replaceChildren(...rates.map((r) => h('tr', null,
    h('td', { class: 'wrap-cell' }, h('div', { class: 'op-name' }, r.operation), h('div', { class: 'op-component' }, r.component)),
    h('td', null, h('span', { class: 'bad' }, fmt.count(r.errors))),
    h('td', null, r.calls ? fmt.count(r.calls) : '–'),
    h('td', null, r.rate === null || r.rate === undefined ? '–' : fmt.percent(r.rate)))));
  if (rates.length === 0) els.rates.append(h('tr', null, h('td', { colspan: 4, class: 'muted' }, 'No monitored operation failed in this window.')));
}

// Built again only when the group or its occurrences changed, so a stack being read does not jump each tick.
function renderDetail(detail) {
  if (detail.fingerprint !== selected) return;
  const signature = JSON.stringify(detail);
  if (signature === shownDetail) return;
  const first = shownDetail === null;
  shownDetail = signature;
  clear(els.detail);
  els.detail.hidden = false;
  if (!detail.found) {
    els.detail.append(card('Group', h('p', { class: 'muted' }, 'This group is no longer kept: groups not seen for the retention are pruned.')));
    return;
  }
  const g = detail.group;
  const resolve = g.status === 'resolved'
    ? null
    : h('button', { type: 'button', 'data-control': 'resolve', onclick: () => resolveGroup(g) }, 'Resolve');
  const facts = h('dl', { class: 'facts' },
    h('dt', null, 'Status'), h('dd', { 'data-field': 'status' }, statusBadge(g.status),
      g.status === 'resolved' ? h('span', { class: 'muted small' }, ' a new occurrence makes it regressed') : null),
    h('dt', null, 'Type'), h('dd', null, g.type, ' · ', g.category),
    h('dt', null, 'First occurred in'), h('dd', null, where(g.component, g.operation)),
    h('dt', null, 'Seen'), h('dd', null, `${fmt.count(g.count)} times, first ${fmt.moment(g.firstSeen)}, last ${fmt.moment(g.lastSeen)}`),
    h('dt', null, 'Fingerprint'), h('dd', null, h('code', null, g.fingerprint)));
  const occurrences = detail.occurrences.map((o, i) => occurrence(o, i));
  els.detail.append(card('Group',
    h('div', { class: 'toolbar' }, h('h3', { class: 'group-title', 'data-field': 'group-title' }, g.title), resolve,
      h('a', { href: '#/errors', 'data-control': 'close-group' }, 'Close')),
    els.actionStatus, facts,
    h('h3', null, `Latest occurrences (${detail.occurrences.length})`),
    occurrences.length ? h('div', { 'data-list': 'occurrences' }, occurrences) : h('p', { class: 'muted' }, 'No occurrence is stored for this group.')));
  if (first) els.detail.scrollIntoView({ block: 'start' });
}

// An occurrence folds away; the latest is open. What the reader opened or closed stays so as new ones arrive.
function occurrence(o, index) {
  const key = o.time + '|' + (o.spanId || '') + '|' + o.message.slice(0, 64);
  const open = expanded.has(key) ? expanded.get(key) : index === 0;
  const trace = o.traceId
    ? [h('a', { href: '#/traces/' + encodeURIComponent(o.traceId), 'data-link': 'trace' }, h('code', null, o.traceId)),
      ' · ', h('a', { href: '#/logs/' + encodeURIComponent(o.traceId), 'data-link': 'trace-logs' }, 'its log events')]
    : 'none: this call was not traced';
  const facts = h('dl', { class: 'facts small' },
    h('dt', null, 'Where'), h('dd', null, where(o.component, o.operation) || '–'),
    h('dt', null, 'Severity'), h('dd', null, o.severity, ' · ', o.category),
    o.durationMs !== null && o.durationMs !== undefined ? [h('dt', null, 'Duration'), h('dd', null, fmt.ms(o.durationMs))] : null,
    h('dt', null, 'Trace'), h('dd', { 'data-field': 'trace' }, trace),
    o.spanId ? [h('dt', null, 'Span'), h('dd', null, h('code', null, o.spanId))] : null,
    o.context.length ? [h('dt', null, 'Context'), h('dd', { 'data-field': 'context' }, h('span', { class: 'labels' }, o.context.map((t) => h('span', { class: 'label' }, t.name + '=' + t.value))))] : null,
    o.cut ? [h('dt', null, 'Note'), h('dd', { class: 'muted' }, 'Long text was cut; the database keeps it whole.')] : null);
  const firstLine = o.message.split('\n', 1)[0];
  const el = h('details', { class: 'event occurrence', 'data-occurrence': o.time, open },
    h('summary', null, h('span', { class: 'nowrap' }, fmt.moment(o.time)), ' · ', h('span', { class: 'muted' }, where(o.component, o.operation) || o.type),
      ' · ', h('span', { class: 'summary-message' }, firstLine.length > 160 ? firstLine.slice(0, 160) + '…' : firstLine)),
    h('h4', null, o.type),
    h('p', { class: 'log-message', 'data-field': 'message' }, o.message),
    facts,
    o.stackTrace ? h('pre', { 'data-field': 'stack' }, o.stackTrace) : null,
    o.inner.map((i) => h('div', { class: 'inner' }, h('h4', null, 'Inner: ', i.type), h('p', { class: 'log-message' }, i.message), i.stackTrace ? h('pre', null, i.stackTrace) : null)));
  el.addEventListener('toggle', () => { if (expanded.has(key) || el.open !== open) expanded.set(key, el.open); });
  return el;
}

async function resolveGroup(group) {
  const status = els.actionStatus;
  setText(status, 'Resolving…');
  const result = await postJson('api/errors/groups/' + encodeURIComponent(group.fingerprint) + '/resolve', {});
  setText(status, result.ok
    ? 'Resolved. A new occurrence will mark it regressed.'
    : `Not resolved: ${result.data && result.data.error ? result.data.error : 'the dashboard answered ' + result.status}`);
}
