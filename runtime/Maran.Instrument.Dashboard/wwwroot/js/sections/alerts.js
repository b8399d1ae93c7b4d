// Alerts: the active alerts (silenced from here, and un-silenced), the silences in force, the SLOs' error budgets
// and burn rates, the rules of every kind, the analysis of the last day and the history, paged and filtered by rule and severity on the server. Silencing is a POST with the
// dashboard's CSRF token; the list shows the change at the next tick.

import { h, card, setText, clear } from '../dom.js';
import { postJson } from '../live.js';
import * as fmt from '../format.js';
import { renderSlos } from '../slo-panel.js';

let ctx, els, query, newest, minutes, comment;

export default {
  mount(root, context) {
    ctx = context;
    query = { page: 0, size: 50, q: '', level: '', before: null };
    newest = null;
    minutes = h('select', { 'aria-label': 'Silence for', 'data-control': 'silence-minutes' },
      [[15, '15 minutes'], [60, '1 hour'], [240, '4 hours'], [1440, '1 day'], [10080, '1 week']].map(([m, label]) => h('option', { value: m }, label)));
    comment = h('input', { type: 'text', placeholder: 'Why (optional)', maxlength: 500, 'aria-label': 'Silence comment', 'data-control': 'silence-comment' });
    const rule = h('select', { 'aria-label': 'Rule', 'data-control': 'history-rule' }, h('option', { value: '' }, 'every rule'));
    const severity = h('select', { 'aria-label': 'Severity', 'data-control': 'history-severity' },
      h('option', { value: '' }, 'every severity'), ['critical', 'warning', 'info'].map((s) => h('option', { value: s }, s)));
    const filter = () => { query.q = rule.value; query.level = severity.value; query.page = 0; query.before = null; request(); };
    rule.addEventListener('change', filter);
    severity.addEventListener('change', filter);
    els = {
      note: h('p', { class: 'muted', 'data-block': 'alerts-note' }),
      status: h('p', { class: 'small', 'data-field': 'action-status', role: 'status' }),
      active: h('tbody', { 'data-table': 'active-alerts' }),
      activeTotal: h('span', { class: 'muted' }),
      silences: h('tbody', { 'data-table': 'silences' }),
      rules: h('tbody', { 'data-table': 'rules' }),
      slos: h('div', { 'data-block': 'slos' }),
      analysis: h('div', { 'data-block': 'analysis' }),
      history: h('tbody', { 'data-table': 'alert-history' }),
      historyState: h('span', { class: 'muted', 'data-field': 'history-state' }),
      follow: h('button', { type: 'button', hidden: true, 'data-control': 'history-follow' }, 'Follow live'),
      pager: h('div', { class: 'pager' }),
      rule,
    };
    els.follow.addEventListener('click', () => { query.page = 0; query.before = null; request(); });
    const table = (heads, body) => h('div', { class: 'table-wrap' }, h('table', { class: 'ops list' },
      h('thead', null, h('tr', null, heads.map((t) => h('th', { scope: 'col' }, t)))), body));
    root.append(
      h('h1', null, 'Alerts'),
      els.note,
      card('Active alerts', h('div', { class: 'toolbar' }, h('span', { class: 'muted' }, 'Silence for'), minutes, comment, els.activeTotal), els.status,
        table(['Severity', 'State', 'Alert', 'Value', 'Since', 'Labels', ''], els.active)),
      card('Silences in force', table(['Matches', 'Until', 'Why', 'Set by', ''], els.silences)),
      card('Service level objectives', els.slos),
      h('div', { class: 'two' },
        card('Rules', table(['Rule', 'Condition', 'Firing', 'Pending', 'Last evaluated'], els.rules)),
        card('Last 24 hours', els.analysis)),
      card('History', h('div', { class: 'toolbar' }, rule, severity, els.follow, els.historyState),
        table(['Time', 'Rule', 'Severity', 'What', 'Value', 'Labels'], els.history), els.pager),
    );
    request();
  },

  view(data) {
    setText(els.note, data.message || '');
    renderActive(data);
    renderSilences(data.silences);
    renderRules(data.rules);
    renderSlos(els.slos, data.slos);
    renderAnalysis(data.analysis);
    renderHistory(data.history, data.rules);
  },
};

function request() {
  ctx.setView('alerts', { ...query });
}

function severityBadge(severity) {
  const cls = severity === 'critical' ? 'critical' : severity === 'warning' ? 'warning' : 'info';
  return h('span', { class: 'badge sev-' + cls }, severity);
}

function labels(list) {
  return h('span', { class: 'labels' }, list.map((l) => h('span', { class: 'label' }, l.name + '=' + l.value)));
}

function renderActive(data) {
  setText(els.activeTotal, `${fmt.count(data.activeTotal)} active` + (data.active.length < data.activeTotal ? `, ${data.active.length} shown` : ''));
  els.active.replaceChildren(...data.active.map((a) => {
    const summary = a.annotations.find((n) => n.name === 'summary');
    const others = a.annotations.filter((n) => n.name !== 'summary');
    const action = a.silence
      ? h('button', { type: 'button', 'data-control': 'unsilence', onclick: () => unsilence(a.silence.id) }, 'Un-silence')
      : h('button', { type: 'button', 'data-control': 'silence', onclick: () => silence(a) }, 'Silence');
    return h('tr', { 'data-alert': a.fingerprint, class: a.silence ? 'silenced' : '' },
      h('td', null, severityBadge(a.severity)),
      h('td', null, h('span', { class: 'state state-' + (a.state === 'firing' ? 'firing' : 'pending') }, a.state),
        a.silence ? h('div', { class: 'small muted', 'data-field': 'silenced' }, `silenced until ${fmt.moment(a.silence.endsAt)}`) : null,
        a.suppressedBy ? h('div', { class: 'small muted' }, a.suppressedBy) : null),
      h('td', { class: 'wrap-cell' }, h('div', { class: 'op-name' }, a.rule),
        summary ? h('div', { 'data-field': 'summary' }, summary.value) : null,
        others.length ? h('dl', { class: 'facts small' }, others.flatMap((n) => [h('dt', null, n.name), h('dd', { 'data-annotation': n.name }, n.value)])) : null),
      h('td', null, fmt.number(a.value)),
      h('td', { class: 'nowrap', title: 'active since ' + fmt.moment(a.activeAt) }, fmt.moment(a.firedAt || a.activeAt)),
      h('td', { class: 'wrap-cell' }, labels(a.labels)),
      h('td', null, action));
  }));
  if (data.active.length === 0) {
    els.active.append(h('tr', null, h('td', { colspan: 7, class: 'muted' }, data.running ? 'No alert is pending or firing.' : 'No alert: rules are evaluated while the monitoring system runs.')));
  }
}

async function silence(alert) {
  setText(els.status, `Silencing ${alert.rule}…`);
  const result = await postJson('api/alerts/silences', {
    fingerprint: alert.fingerprint, minutes: Number(minutes.value), comment: comment.value || null,
  });
  setText(els.status, result.ok
    ? `Silenced ${alert.rule} until ${fmt.moment(result.data.endsAt)}.`
    : `Not silenced: ${result.data && result.data.error ? result.data.error : 'the dashboard answered ' + result.status}`);
}

async function unsilence(id) {
  setText(els.status, 'Ending the silence…');
  const result = await postJson('api/alerts/silences/' + encodeURIComponent(id) + '/expire', {});
  setText(els.status, result.ok ? 'The silence has ended.' : `Not ended: ${result.data && result.data.error ? result.data.error : 'the dashboard answered ' + result.status}`);
}

function renderSilences(silences) {
  els.silences.replaceChildren(...silences.map((s) => h('tr', { 'data-silence': s.id },
    h('td', { class: 'wrap-cell' }, labels(s.matchers)),
    h('td', { class: 'nowrap' }, fmt.moment(s.endsAt)),
    h('td', { class: 'wrap-cell' }, s.comment || '–'),
    h('td', null, s.createdBy || '–'),
    h('td', null, h('button', { type: 'button', 'data-control': 'end-silence', onclick: () => unsilence(s.id) }, 'End')))));
  if (silences.length === 0) els.silences.append(h('tr', null, h('td', { colspan: 5, class: 'muted' }, 'No silence in force.')));
}

function renderRules(rules) {
  els.rules.replaceChildren(...rules.map((r) => h('tr', { 'data-rule': r.name },
    h('td', { class: 'wrap-cell' }, h('div', { class: 'op-name' }, r.name), severityBadge(r.severity)),
    h('td', { class: 'wrap-cell', 'data-kind': r.kind }, r.kind === 'threshold' ? null : h('span', { class: 'badge' }, r.kind), ' ', h('code', null, r.condition), r.connected ? null : h('div', { class: 'small muted' }, 'its metric has no source in this build')),
    h('td', null, r.firing ? h('span', { class: 'bad' }, String(r.firing)) : '0'),
    h('td', null, String(r.pending)),
    h('td', { class: 'nowrap' }, r.lastEvaluatedAt ? fmt.moment(r.lastEvaluatedAt) : 'not yet'))));
  if (rules.length === 0) els.rules.append(h('tr', null, h('td', { colspan: 5, class: 'muted' }, 'No rule is in force.')));
}

function renderAnalysis(a) {
  clear(els.analysis);
  const facts = h('dl', { class: 'facts' },
    h('dt', null, 'Fired'), h('dd', { 'data-field': 'fired' }, a.firedBySeverity.map((c) => `${c.count} ${c.name}`).join(' · ')),
    h('dt', null, 'Mean time to resolve'), h('dd', null, a.meanSecondsToResolve === null || a.meanSecondsToResolve === undefined ? 'none resolved' : fmt.duration(a.meanSecondsToResolve)),
    h('dt', null, 'Flapping'), h('dd', null, a.flapping.length ? a.flapping.join(', ') : 'none'),
    h('dt', null, 'Deliveries'), h('dd', null, a.channels.length
      ? a.channels.map((c) => `${c.channel}: ${c.delivered} delivered, ${c.failed} failed, ${c.dropped} dropped`).join(' · ')
      : 'none'));
  els.analysis.append(facts);
  if (a.rules.length) {
    els.analysis.append(h('div', { class: 'table-wrap' }, h('table', { class: 'ops list' },
      h('thead', null, h('tr', null, ['Rule', 'Fired', 'Resolved', 'Cleared while pending', 'Mean to resolve'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', { 'data-table': 'rule-statistics' }, a.rules.map((r) => h('tr', null,
        h('td', null, r.rule, ' ', severityBadge(r.severity), r.flapping ? h('span', { class: 'badge sev-warning' }, 'flapping') : ''),
        h('td', null, String(r.fired)), h('td', null, String(r.resolved)), h('td', null, String(r.pendingCleared)),
        h('td', null, r.meanSecondsToResolve === null || r.meanSecondsToResolve === undefined ? '–' : fmt.duration(r.meanSecondsToResolve))))))));
  }
  if (a.fromMemoryOnly) els.analysis.append(h('p', { class: 'muted small' }, 'The database could not be read: these figures cover this run only.'));
}

function renderHistory(history, rules) {
  const names = [...new Set(rules.map((r) => r.name))].sort();
  const current = [...els.rule.options].slice(1).map((o) => o.value);
  if (current.join('\u0000') !== names.join('\u0000')) {
    const selected = els.rule.value;
    els.rule.replaceChildren(h('option', { value: '' }, 'every rule'), ...names.map((n) => h('option', { value: n }, n)));
    els.rule.value = names.includes(selected) ? selected : '';
  }
  const live = history.before === null || history.before === undefined;
  els.follow.hidden = live;
  setText(els.historyState, live ? '● following live' : `paused at ${fmt.moment(history.before)}`);
  if (live && history.page === 0 && history.rows.length) newest = history.rows[0].time;
  els.history.replaceChildren(...history.rows.map((e) => h('tr', { 'data-kind': e.kind },
    h('td', { class: 'nowrap' }, fmt.moment(e.time)),
    h('td', null, e.rule),
    h('td', null, severityBadge(e.severity)),
    h('td', { class: 'wrap-cell' }, e.kind === 'state'
      ? `${e.previousState || '–'} → ${e.state}`
      : `${e.channel}: ${e.outcome}${e.attempt ? ' (attempt ' + e.attempt + ')' : ''}${e.detail ? ' — ' + e.detail : ''}`),
    h('td', null, fmt.number(e.value)),
    h('td', { class: 'wrap-cell' }, labels(e.labels)))));
  if (history.rows.length === 0) els.history.append(h('tr', null, h('td', { colspan: 6, class: 'muted' }, 'No history yet.')));
  clear(els.pager);
  els.pager.append(
    h('button', { type: 'button', disabled: history.page === 0, 'data-control': 'history-newer', onclick: () => { query.page = Math.max(0, history.page - 1); request(); } }, '‹ Newer'),
    h('span', null, `page ${history.page + 1}`),
    h('button', {
      type: 'button', disabled: !history.more, 'data-control': 'history-older',
      onclick: () => { if (query.before === null) query.before = newest ?? Date.now(); query.page = history.page + 1; request(); },
    }, 'Older ›'),
  );
}
