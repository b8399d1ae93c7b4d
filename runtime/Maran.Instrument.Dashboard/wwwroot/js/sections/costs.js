// Costs: the cost tracker's window of whole hours (priced total, tokens by type, by model, component, resource type
// and operation, per hour and per day), the daily and monthly budgets with their thresholds, and everything since the
// tracker started. A model without a price shows its tokens and "unpriced", never a cost of zero; estimated token
// counts are marked as such.

import { h, card, tile, setText, clear } from '../dom.js';
import { TrendChart } from '../charts.js';
import * as fmt from '../format.js';
import { renderWatched } from '../anomaly.js';

const windows = [1, 6, 24, 168, 720];

let ctx, els, query, tiles, charts, chartHours, watchedCharts;

export default {
  mount(root, context) {
    ctx = context;
    query = { page: 0, size: 25, hours: 24 };
    chartHours = null;
    charts = null;
    watchedCharts = new Map();
    const hours = h('select', { 'aria-label': 'Window', 'data-control': 'hours' },
      windows.map((n) => h('option', { value: n, selected: n === 24 }, 'last ' + fmt.hours(n))));
    hours.addEventListener('change', () => { query.hours = Number(hours.value); query.page = 0; request(); });
    tiles = {
      total: tile('cost-total', 'Cost', ''),
      input: tile('input-tokens', 'Input tokens', ''),
      output: tile('output-tokens', 'Output tokens', ''),
      calls: tile('model-calls', 'Model calls', ''),
      since: tile('cost-since-start', 'Since start', ''),
    };
    els = {
      note: h('p', { class: 'muted', 'data-block': 'costs-note' }),
      unpriced: h('div', { 'data-block': 'unpriced' }),
      budgets: h('div', { 'data-block': 'budgets' }),
      tokens: h('div', { 'data-block': 'tokens' }),
      chartRow: h('div', { class: 'charts' }),
      watched: h('div', { class: 'charts', 'data-block': 'watched-costs' }),
      models: h('tbody', { 'data-table': 'models' }),
      modelsNote: h('p', { class: 'muted small' }),
      byComponent: h('div', { 'data-block': 'by-component' }),
      byResource: h('div', { 'data-block': 'by-resource' }),
      operations: h('tbody', { 'data-table': 'cost-operations' }),
      operationsTotal: h('span', { class: 'muted' }),
      pager: h('div', { class: 'pager' }),
      daily: h('tbody', { 'data-table': 'cost-daily' }),
    };
    const table = (heads, body, cls = 'ops list') => h('div', { class: 'table-wrap' }, h('table', { class: cls },
      h('thead', null, h('tr', null, heads.map((t) => h('th', { scope: 'col' }, t)))), body));
    root.append(
      h('h1', null, 'Costs'),
      h('div', { class: 'toolbar' }, hours),
      els.note,
      h('div', { class: 'tiles' }, Object.values(tiles).map((t) => t.el)),
      els.unpriced,
      h('div', { class: 'two' }, card('Budgets', els.budgets), card('Tokens by type', els.tokens)),
      els.chartRow,
      els.watchedCard = card('Watched by anomaly rules', h('p', { class: 'muted small' },
        'The cost series an anomaly rule watches, at each evaluation: the band shaded is where the detector expected the value, a ring marks an anomalous point.'), els.watched),
      card('By model', table(['Model', 'Calls', 'Input', 'Cached input', 'Output', 'Reasoning', 'Cost'], els.models, 'ops costs'), els.modelsNote),
      h('div', { class: 'two' }, card('By component', els.byComponent), card('By resource type', els.byResource)),
      card('By operation', h('div', { class: 'toolbar' }, els.operationsTotal),
        table(['Operation', 'Model calls', 'Tokens', 'Cost'], els.operations, 'ops costs'), els.pager),
      card('Per day (UTC)', table(['Day', 'Tokens', 'Cost'], els.daily, 'ops costs')),
    );
    request();
  },

  unmount() {
    if (charts) Object.values(charts).forEach((c) => c.destroy());
    charts = null;
    watchedCharts.forEach((entry) => entry.chart.destroy());
    watchedCharts.clear();
  },

  view(data) {
    setText(els.note, data.message || `Whole clock hours from ${fmt.moment(data.from)}, the current one included. Prices are USD, from the price table (costs.prices).`);
    const t = data.tokens;
    setText(tiles.total.value, fmt.usd(data.totalUsd));
    setText(tiles.total.note, 'last ' + fmt.hours(data.hours) + (data.unpricedModels.length ? ' · unpriced tokens not included' : ''));
    setText(tiles.input.value, fmt.count(t.input));
    setText(tiles.input.note, `${fmt.count(t.cachedInput)} cached`);
    setText(tiles.output.value, fmt.count(t.output));
    setText(tiles.output.note, `${fmt.count(t.reasoning)} reasoning`);
    setText(tiles.calls.value, fmt.count(t.calls));
    setText(tiles.calls.note, t.estimatedCalls ? `${fmt.count(t.estimatedCalls)} estimated` : 'all counts reported');
    const s = data.sinceStart;
    setText(tiles.since.value, fmt.usd(s.totalUsd));
    setText(tiles.since.note, `${fmt.count(s.input + s.output)} tokens, ${fmt.count(s.models)} models` + (s.unpricedModels ? `, ${s.unpricedModels} unpriced` : ''));
    renderUnpriced(data);
    renderBudgets(data.budgets);
    renderTokens(t);
    renderCharts(data);
    els.watchedCard.hidden = data.anomalies.length === 0;
    renderWatched(els.watched, watchedCharts, data.anomalies);
    renderModels(data);
    amounts(els.byComponent, data.byComponent, 'components');
    amounts(els.byResource, data.byResourceType, 'resource types');
    renderOperations(data.operations);
    renderDaily(data.daily);
  },
};

function request() {
  ctx.setView('costs', { ...query });
}

function renderUnpriced(data) {
  clear(els.unpriced);
  if (!data.unpricedModels.length) return;
  els.unpriced.append(h('p', { class: 'notice', 'data-field': 'unpriced-models' },
    `No price for ${data.unpricedModels.join(', ')}: their tokens are counted below with no cost. Price them under costs.prices in monitoring_config.yaml.`));
}

function renderBudgets(budgets) {
  clear(els.budgets);
  if (!budgets.length) {
    els.budgets.append(h('p', { class: 'muted' }, 'No budget is set: costs.budgets.daily_usd and monthly_usd set one.'));
    return;
  }
  for (const b of budgets) {
    const fill = h('div', { class: 'gauge-fill' + (b.percent >= 100 ? ' over' : '') });
    fill.style.width = Math.max(0, Math.min(100, b.percent)) + '%';
    const bar = h('div', { class: 'gauge' }, fill);
    for (const t of b.thresholds) {
      if (t.percent > 100) continue;
      const mark = h('div', { class: 'gauge-mark' });
      mark.style.left = t.percent + '%';
      bar.append(mark);
    }
    const reached = b.thresholds.filter((t) => t.reached).map((t) => fmt.number(t.percent) + '%');
    els.budgets.append(h('div', { class: 'budget', 'data-budget': b.period },
      h('div', { class: 'tile-label' }, b.period === 'daily' ? 'Today (UTC)' : 'This month (UTC)'),
      h('div', { class: 'budget-line' },
        h('span', { class: 'tile-value', 'data-field': 'budget-percent' }, fmt.number(b.percent) + '%'),
        h('span', { class: 'muted' }, ` ${fmt.usd(b.spentUsd)} of ${fmt.usd(b.budgetUsd)}`)),
      bar,
      h('div', { class: 'small muted', 'data-field': 'thresholds' },
        reached.length ? 'thresholds reached: ' + reached.join(', ') : 'no threshold reached',
        ' · of ', b.thresholds.map((t) => fmt.number(t.percent) + '%').join(', '))));
  }
}

function renderTokens(t) {
  clear(els.tokens);
  els.tokens.append(h('dl', { class: 'facts' },
    h('dt', null, 'Input'), h('dd', { 'data-field': 'input' }, fmt.count(t.input)),
    h('dt', { class: 'sub' }, 'of which cached'), h('dd', { 'data-field': 'cached' }, fmt.count(t.cachedInput)),
    h('dt', { class: 'sub' }, 'of which cache writes'), h('dd', null, fmt.count(t.cacheWrite)),
    h('dt', null, 'Output'), h('dd', { 'data-field': 'output' }, fmt.count(t.output)),
    h('dt', { class: 'sub' }, 'of which reasoning'), h('dd', { 'data-field': 'reasoning' }, fmt.count(t.reasoning)),
    h('dt', null, 'Estimated'), h('dd', { 'data-field': 'estimated' }, t.estimatedCalls
      ? `${fmt.count(t.estimatedCalls)} of ${fmt.count(t.calls)} calls counted with a tokenizer, not reported by the model`
      : 'none: every count was reported by the model'),
    t.callsWithoutUsage ? [h('dt', null, 'Without usage'), h('dd', null, `${fmt.count(t.callsWithoutUsage)} calls reported no tokens`)] : null));
}

function renderCharts(data) {
  if (charts && chartHours !== data.hours) {
    Object.values(charts).forEach((c) => c.destroy());
    charts = null;
  }
  if (!charts) {
    chartHours = data.hours;
    charts = {
      cost: new TrendChart(els.chartRow, {
        title: 'Cost per hour (USD)', capacity: 100000, metric: 'cost-hourly', height: 180, step: 3600,
        series: [{ label: 'USD', color: '#57ab5a', bars: true }], format: fmt.usd,
      }),
      tokens: new TrendChart(els.chartRow, {
        title: 'Tokens per hour', capacity: 100000, metric: 'tokens-hourly', height: 180, step: 3600,
        series: [{ label: 'tokens', bars: true }], format: (v) => fmt.count(v),
      }),
    };
  }
  charts.cost.setData(data.hourly.times, data.hourly.usd);
  charts.tokens.setData(data.hourly.times, data.hourly.tokens);
}

// A cost that leaves out tokens without a price says so: "unpriced" where nothing was priced, never $0.00.
function money(usd, unpriced, name) {
  if (usd === null || usd === undefined || (unpriced && usd === 0)) {
    return h('span', { class: 'badge sev-warning', 'data-unpriced': name }, 'unpriced');
  }
  return [fmt.usd(usd), unpriced ? h('span', { class: 'badge sev-warning', title: 'tokens without a price are not included' }, 'partly unpriced') : null];
}

function costCell(m) {
  return h('td', { 'data-field': 'cost' }, money(m.costUsd, m.unpriced, m.model));
}

function renderModels(data) {
  els.models.replaceChildren(...data.models.map((m) => h('tr', { 'data-model': m.model, class: m.unpriced ? 'unpriced' : '' },
    h('td', null, h('span', { class: 'op-name' }, m.model),
      m.tokens.estimatedCalls ? h('span', { class: 'badge', 'data-field': 'estimated', title: `${m.tokens.estimatedCalls} of ${m.tokens.calls} calls counted with a tokenizer` }, 'estimated') : null),
    h('td', null, fmt.count(m.tokens.calls)),
    h('td', { 'data-field': 'input' }, fmt.count(m.tokens.input)),
    h('td', null, fmt.count(m.tokens.cachedInput)),
    h('td', { 'data-field': 'output' }, fmt.count(m.tokens.output)),
    h('td', null, fmt.count(m.tokens.reasoning)),
    costCell(m))));
  if (data.models.length === 0) els.models.append(h('tr', null, h('td', { colspan: 7, class: 'muted' }, 'No model call with token usage in this window.')));
  setText(els.modelsNote, data.modelsOmitted ? `and ${fmt.count(data.modelsOmitted)} more models` : '');
}

function amounts(el, list, noun) {
  clear(el);
  if (list.top.length === 0) {
    el.append(h('p', { class: 'muted' }, 'No cost in this window.'));
    return;
  }
  const largest = Math.max(...list.top.map((a) => a.usd), 0);
  el.append(h('ul', { class: 'bars', 'data-list': noun }, list.top.map((a) => {
    const fill = h('div', { class: 'share-fill' });
    fill.style.width = (largest > 0 ? (a.usd / largest) * 100 : 0) + '%';
    return h('li', { 'data-name': a.name }, h('span', { class: 'bar-value' }, money(a.usd, a.unpriced, a.name)), h('span', { class: 'bar-name' }, a.name), h('div', { class: 'share' }, fill));
  })));
  if (list.omitted > 0) el.append(h('p', { class: 'muted small' }, `and ${fmt.count(list.omitted)} more ${noun} with ${fmt.usd(list.omittedUsd)}`));
}

function renderOperations(ops) {
  setText(els.operationsTotal, `${fmt.count(ops.total)} operations and components`);
  els.operations.replaceChildren(...ops.rows.map((o) => h('tr', { 'data-operation': o.operation },
    h('td', null, h('div', { class: 'op-name' }, o.operation || '(no operation)'), h('div', { class: 'op-component' }, o.component)),
    h('td', null, fmt.count(o.calls)),
    h('td', null, fmt.count(o.tokens)),
    h('td', { 'data-field': 'cost' }, money(o.costUsd, o.unpricedCalls > 0, o.operation)))));
  if (ops.rows.length === 0) els.operations.append(h('tr', null, h('td', { colspan: 4, class: 'muted' }, 'No cost recorded in this window.')));
  clear(els.pager);
  const pages = Math.max(1, Math.ceil(ops.total / ops.size));
  els.pager.append(
    h('button', { type: 'button', disabled: ops.page === 0, onclick: () => { query.page = Math.max(0, ops.page - 1); request(); } }, '‹ Previous'),
    h('span', null, `page ${ops.page + 1} of ${pages}`),
    h('button', { type: 'button', disabled: ops.page + 1 >= pages, onclick: () => { query.page = ops.page + 1; request(); } }, 'Next ›'),
  );
}

function renderDaily(daily) {
  els.daily.replaceChildren(...daily.times.map((time, i) => h('tr', null,
    h('td', null, new Date(time).toISOString().slice(0, 10)),
    h('td', null, fmt.count(daily.tokens[i])),
    h('td', null, fmt.usd(daily.usd[i])))).reverse());
}
