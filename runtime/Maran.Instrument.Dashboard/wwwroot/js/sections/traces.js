// Traces: the most recent traces of monitored calls (kept by the dashboard while it runs) and, for one trace, its
// spans as a waterfall with their tags and events.

import { h, card, setText, clear } from '../dom.js';
import { getJson } from '../live.js';
import * as fmt from '../format.js';

let ctx, els, query, selected;

export default {
  mount(root, context) {
    ctx = context;
    query = { page: 0, size: 50, q: '' };
    selected = null;
    const filter = h('input', { type: 'search', placeholder: 'Filter by operation, component or trace id', 'aria-label': 'Filter traces', 'data-control': 'filter' });
    let timer = null;
    filter.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => { query.q = filter.value; query.page = 0; ctx.setView('traces', query); }, 250);
    });
    els = {
      body: h('tbody', { 'data-table': 'traces' }),
      note: h('p', { class: 'muted small' }),
      total: h('span', { class: 'muted' }),
      waterfall: h('div', { class: 'waterfall-wrap', 'data-block': 'waterfall' }),
      span: h('div', { class: 'span-detail', 'data-block': 'span' }),
    };
    root.append(
      h('h1', null, 'Traces'),
      card('Recent traces', h('div', { class: 'toolbar' }, filter, els.total),
        h('div', { class: 'table-wrap' }, h('table', { class: 'ops' },
          h('thead', null, h('tr', null, ['Started', 'Root operation', 'Component', 'Duration', 'Spans', 'Errors', 'Trace id'].map((t) => h('th', { scope: 'col' }, t)))),
          els.body)),
        els.note),
      card('Waterfall', els.waterfall, els.span),
    );
    els.waterfall.append(h('p', { class: 'muted' }, 'Select a trace to see its spans.'));
    ctx.setView('traces', query);
  },

  route(arg) {
    if (arg && arg !== selected) {
      selected = arg;
      loadTrace(arg);
    }
  },

  view(data) {
    if (!data.enabled || data.message) setText(els.note, data.message || 'Trace collection is off.');
    else setText(els.note, `The ${data.capacity} most recent traces are kept while the dashboard runs; new ones are sampled at a bounded rate.`);
    setText(els.total, `${fmt.count(data.total)} traces`);
    els.body.replaceChildren(...data.rows.map((t) => {
      const tr = h('tr', { 'data-trace': t.traceId, class: t.traceId === selected ? 'selected' : '', tabindex: 0 },
        h('td', null, fmt.time(t.start)),
        h('td', null, h('span', { class: 'op-name' }, t.root)),
        h('td', { class: 'op-component' }, t.component || '–'),
        h('td', null, fmt.ms(t.durationMs)),
        h('td', null, fmt.count(t.spans)),
        h('td', null, t.errors ? h('span', { class: 'bad' }, String(t.errors)) : '0'),
        h('td', null, h('code', null, t.traceId.slice(0, 16) + '…')));
      const open = () => ctx.navigate('#/traces/' + t.traceId);
      tr.addEventListener('click', open);
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
      return tr;
    }));
    if (data.rows.length === 0) els.body.append(h('tr', null, h('td', { colspan: 7, class: 'muted' }, 'No trace yet: traces appear as monitored calls run.')));
  },
};

async function loadTrace(id) {
  const trace = await getJson('api/traces/' + encodeURIComponent(id));
  clear(els.waterfall);
  clear(els.span);
  if (!trace) {
    els.waterfall.append(h('p', { class: 'muted' }, 'This trace is no longer kept.'));
    return;
  }
  const spans = trace.spans;
  const start = Math.min(...spans.map((s) => Date.parse(s.start)));
  const end = Math.max(...spans.map((s) => Date.parse(s.start) + s.durationMs));
  const total = Math.max(end - start, 0.001);
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const depth = (s) => {
    let d = 0, p = s.parentSpanId ? byId.get(s.parentSpanId) : null;
    while (p && d < 32) { d++; p = p.parentSpanId ? byId.get(p.parentSpanId) : null; }
    return d;
  };
  const rows = spans.map((s) => {
    const offset = Date.parse(s.start) - start;
    const bar = h('div', { class: 'wf-bar' + (s.status === 'error' || s.status === 'Error' ? ' error' : '') });
    bar.style.left = (offset / total) * 100 + '%';
    bar.style.width = Math.max((s.durationMs / total) * 100, 0.3) + '%';
    const label = h('div', { class: 'wf-label' }, h('span', { class: 'op-name' }, s.name));
    label.style.paddingLeft = depth(s) * 14 + 'px';
    const row = h('div', { class: 'wf-row', 'data-span': s.spanId, tabindex: 0 }, label,
      h('div', { class: 'wf-track' }, bar), h('div', { class: 'wf-time' }, fmt.ms(s.durationMs)));
    row.addEventListener('click', () => showSpan(s));
    return row;
  });
  els.waterfall.append(h('p', { class: 'muted small' }, `Trace ${trace.traceId} · ${spans.length} spans · ${fmt.ms(total)}` +
    (trace.truncated ? ` · ${trace.truncated} more spans not kept` : '')), h('div', { class: 'waterfall' }, rows));
  const failed = spans.find((s) => s.status === 'Error');
  showSpan(failed || spans[0]);
}

function showSpan(s) {
  clear(els.span);
  if (!s) return;
  const facts = h('dl', { class: 'facts' },
    h('dt', null, 'Span'), h('dd', null, s.name),
    h('dt', null, 'Source'), h('dd', null, s.source),
    h('dt', null, 'Status'), h('dd', { 'data-field': 'status' }, s.status + (s.statusDescription ? ': ' + s.statusDescription : '')),
    h('dt', null, 'Duration'), h('dd', null, fmt.ms(s.durationMs)),
    ...s.tags.flatMap((t) => [h('dt', null, t.key), h('dd', null, t.value)]));
  const events = s.events.map((e) => h('div', { class: 'event' },
    h('h4', null, `${e.name} at +${fmt.ms(e.offsetMs)}`),
    h('dl', { class: 'facts' }, e.tags.flatMap((t) => [h('dt', null, t.key), h('dd', null, t.key === 'exception.stacktrace' ? h('pre', null, t.value) : t.value)]))));
  els.span.append(h('h3', null, s.name), facts, ...events);
}
