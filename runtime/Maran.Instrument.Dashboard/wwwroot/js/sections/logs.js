// Logs: the structured log events, newest first, followed live; filtered by level, component, operation and trace
// id, and searched full-text, on the server (the log store). Paging back pins the list to the moment it was left,
// so a page does not shift as new events arrive; "Follow live" lets go. A trace id links to the Traces section.

import { h, card, setText, clear } from '../dom.js';
import * as fmt from '../format.js';

const levelClass = { DEBUG: 'debug', INFO: 'info', WARNING: 'warning', ERROR: 'error', CRITICAL: 'critical' };

let ctx, els, query, controls, expanded, newest;

export default {
  mount(root, context) {
    ctx = context;
    query = { page: 0, size: 100, q: '', level: '', component: '', operation: '', trace: '', before: null };
    expanded = new Set();
    newest = null;
    const suggest = (id) => h('datalist', { id });
    controls = {
      level: h('select', { 'aria-label': 'Least severe level', 'data-control': 'level' },
        h('option', { value: '' }, 'every level'),
        ...['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'].map((l) => h('option', { value: l }, l + (l === 'CRITICAL' ? '' : ' and above')))),
      component: h('input', { type: 'search', placeholder: 'Component', list: 'log-components', 'aria-label': 'Component', 'data-control': 'component' }),
      operation: h('input', { type: 'search', placeholder: 'Operation', list: 'log-operations', 'aria-label': 'Operation', 'data-control': 'operation' }),
      trace: h('input', { type: 'search', placeholder: 'Trace id', 'aria-label': 'Trace id', 'data-control': 'trace', spellcheck: 'false' }),
      text: h('input', { type: 'search', placeholder: 'Search words (word* for a prefix)', 'aria-label': 'Search the logs', 'data-control': 'search' }),
      components: suggest('log-components'),
      operations: suggest('log-operations'),
    };
    let timer = null;
    const changed = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        query.level = controls.level.value;
        query.component = controls.component.value.trim();
        query.operation = controls.operation.value.trim();
        query.trace = controls.trace.value.trim();
        query.q = controls.text.value;
        query.page = 0;
        query.before = null;
        request();
      }, 250);
    };
    controls.level.addEventListener('change', changed);
    for (const name of ['component', 'operation', 'trace', 'text']) controls[name].addEventListener('input', changed);
    els = {
      body: h('tbody', { 'data-table': 'logs' }),
      note: h('p', { class: 'muted small', 'data-block': 'logs-source' }),
      state: h('span', { class: 'muted', 'data-field': 'logs-state' }),
      follow: h('button', { type: 'button', 'data-control': 'follow', hidden: true }, 'Follow live'),
      pager: h('div', { class: 'pager' }),
    };
    els.follow.addEventListener('click', () => { query.page = 0; query.before = null; request(); });
    root.append(
      h('h1', null, 'Logs'),
      card('Events',
        h('div', { class: 'toolbar wrap' }, controls.level, controls.component, controls.operation, controls.trace, controls.text, els.follow, els.state),
        controls.components, controls.operations,
        els.note,
        h('div', { class: 'table-wrap' }, h('table', { class: 'ops logs' },
          h('thead', null, h('tr', null, ['Time', 'Level', 'Where', 'Message', 'Trace'].map((t) => h('th', { scope: 'col' }, t)))),
          els.body)),
        els.pager),
    );
    request();
  },

  // #/logs/<trace id> shows one trace's events.
  route(arg) {
    if (arg && arg !== query.trace) {
      controls.trace.value = arg;
      query.trace = arg;
      query.page = 0;
      query.before = null;
      request();
    }
  },

  view(data) {
    setText(els.note, data.note || '');
    const live = data.before === null || data.before === undefined;
    setText(els.state, live ? '● following live' : `paused at ${fmt.moment(data.before)}`);
    els.state.dataset.live = String(live);
    els.follow.hidden = live;
    if (live && data.page === 0 && data.rows.length) newest = data.rows[0].time;
    fill(controls.components, data.components);
    fill(controls.operations, data.operations);
    els.body.replaceChildren(...data.rows.flatMap(row));
    if (data.rows.length === 0) {
      const filtered = data.filter.level || data.filter.component || data.filter.operation || data.filter.trace || data.filter.text;
      els.body.append(h('tr', null, h('td', { colspan: 5, class: 'muted' }, filtered ? 'No event matches these filters.' : 'No event logged yet.')));
    }
    renderPager(data);
  },
};

function request() {
  ctx.setView('logs', { ...query });
}

function fill(list, values) {
  if (list.childElementCount === values.length && [...list.children].every((o, i) => o.value === values[i])) return;
  list.replaceChildren(...values.map((v) => h('option', { value: v })));
}

function row(e) {
  const key = e.time + '|' + e.message.slice(0, 64) + '|' + (e.spanId || '');
  const open = expanded.has(key);
  const level = levelClass[e.level] || 'info';
  const where = [e.component, e.operation].filter(Boolean).join(' · ') || e.source || '';
  const trace = e.traceId
    ? h('a', { href: '#/traces/' + encodeURIComponent(e.traceId), 'data-link': 'trace', title: 'Open this trace' }, h('code', null, e.traceId.slice(0, 12) + '…'))
    : '';
  const tr = h('tr', { class: 'log-row lvl-' + level + (open ? ' open' : ''), 'data-log': e.level, tabindex: 0 },
    h('td', { class: 'nowrap' }, fmt.time(e.time)),
    h('td', null, h('span', { class: 'badge lvl-' + level }, e.level)),
    h('td', { class: 'op-component' }, where),
    h('td', { class: 'log-message', 'data-field': 'message' }, e.message),
    h('td', null, trace));
  const toggle = (event) => {
    if (event.target.closest('a')) return;
    if (expanded.has(key)) expanded.delete(key); else expanded.add(key);
    tr.classList.toggle('open');
    detail.hidden = !detail.hidden;
  };
  tr.addEventListener('click', toggle);
  tr.addEventListener('keydown', (event) => { if (event.key === 'Enter') toggle(event); });
  const facts = h('dl', { class: 'facts' },
    e.source ? [h('dt', null, 'Logger'), h('dd', null, e.source)] : null,
    e.traceId ? [h('dt', null, 'Trace'), h('dd', null, h('a', { href: '#/traces/' + encodeURIComponent(e.traceId) }, h('code', null, e.traceId)))] : null,
    e.spanId ? [h('dt', null, 'Span'), h('dd', null, h('code', null, e.spanId))] : null,
    h('dt', null, 'Properties'), h('dd', null, h('pre', null, e.properties)),
    e.exception ? [h('dt', null, 'Exception'), h('dd', null, h('pre', { 'data-field': 'exception' }, e.exception))] : null,
    e.cut ? [h('dt', null, 'Note'), h('dd', { class: 'muted' }, 'Long text was cut; the log files keep it whole.')] : null);
  const detail = h('tr', { class: 'log-detail', hidden: !open }, h('td', { colspan: 5 }, facts));
  return [tr, detail];
}

function renderPager(data) {
  clear(els.pager);
  const older = () => {
    if (query.before === null || query.before === undefined) query.before = newest ?? Date.now();
    query.page = data.page + 1;
    request();
  };
  const newer = () => {
    query.page = Math.max(0, data.page - 1);
    request();
  };
  els.pager.append(
    h('button', { type: 'button', disabled: data.page === 0, onclick: newer, 'data-control': 'newer' }, '‹ Newer'),
    h('span', null, `page ${data.page + 1}`),
    h('button', { type: 'button', disabled: !data.more, onclick: older, 'data-control': 'older' }, 'Older ›'),
  );
}
