// The SLO panel of the Alerts section: each objective with the share of its error budget left (as a bar and a
// number) and its burn rate over each window its alerts watch.

import { h, clear } from './dom.js';
import * as fmt from './format.js';

export function renderSlos(el, slos) {
  clear(el);
  if (!slos || slos.length === 0) {
    el.append(h('p', { class: 'muted' }, 'No SLO is declared: add one under alerts.slos (an operation and an objective) to track its error budget.'));
    return;
  }
  el.append(h('div', { class: 'table-wrap' }, h('table', { class: 'ops list' },
    h('thead', null, h('tr', null, ['SLO', 'Objective', 'Good / calls', 'Error budget left', 'Burn rates'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', { 'data-table': 'slos' }, slos.map(row)))));
}

function row(s) {
  const what = s.latencyMs === null || s.latencyMs === undefined ? 'succeed' : `take at most ${fmt.ms(s.latencyMs)}`;
  const left = s.errorBudgetRemaining;
  const bar = h('div', { class: 'share-fill' + (left < 0.25 ? ' bad' : '') });
  bar.style.width = Math.round(Math.max(0, Math.min(1, left)) * 100) + '%';
  return h('tr', { 'data-slo': s.name },
    h('td', { class: 'wrap-cell' }, h('div', { class: 'op-name' }, s.name),
      h('div', { class: 'small muted' }, `${s.component ? s.component + '/' : ''}${s.operation}: calls ${what}, over ${windowText(s.windowSeconds)}`)),
    h('td', { 'data-field': 'objective' }, fmt.percent(s.objective)),
    h('td', null, `${fmt.count(s.good)} / ${fmt.count(s.total)}`),
    h('td', null, h('span', { 'data-field': 'budget', class: left < 0 ? 'bad' : '' }, fmt.percent(left)), h('div', { class: 'share' }, bar)),
    h('td', { class: 'wrap-cell', 'data-field': 'burn-rates' }, s.burnRates.map((b) => h('span', { class: 'burn', 'data-window': b.window },
      `${b.window}: ${b.burnRate === null || b.burnRate === undefined ? '–' : fmt.number(b.burnRate) + '×'} `))));
}

function windowText(seconds) {
  return seconds % 86400 === 0 ? `${seconds / 86400} days` : fmt.duration(seconds);
}
