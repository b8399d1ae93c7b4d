// Overview: live totals of every monitored operation, the health score and the CPU, memory, disk and GPU gauges,
// today's cost, the active alerts, the monitoring's own state, and a "waiting for data" card for each part whose data
// source is absent or silent (never a made-up figure).

import { h, card, tile, waiting, setText, clear } from '../dom.js';
import { TrendChart } from '../charts.js';
import { getJson } from '../live.js';
import * as fmt from '../format.js';
import { renderWatched } from '../anomaly.js';

// Milliseconds between two readings of the watched series: they change once per alert evaluation, not per tick.
const watchedEvery = 5000;

let tiles, parts, partsKey, live, monitoring, charts, watched, watchedCharts, watchedAt;

export default {
  mount(root, context) {
    tiles = {
      calls: tile('calls-per-second', 'Calls per second', 'last 10 s'),
      errorRate: tile('error-rate', 'Error rate', 'last minute'),
      inFlight: tile('in-flight', 'In flight', 'calls running now'),
      operations: tile('operations', 'Operations', 'monitored'),
      total: tile('total-calls', 'Calls', 'since start'),
      errors: tile('total-errors', 'Errors', 'since start'),
    };
    parts = h('div', { class: 'tiles', 'data-block': 'parts' });
    partsKey = null;
    live = {};
    monitoring = h('dl', { class: 'facts', 'data-block': 'monitoring' });
    watched = {
      note: h('p', { class: 'muted small', 'data-field': 'watched-message' }),
      charts: h('div', { class: 'charts', 'data-block': 'watched' }),
    };
    watchedCharts = new Map();
    watchedAt = 0;
    const chartRow = h('div', { class: 'charts' });
    root.append(
      h('h1', null, 'Overview'),
      h('div', { class: 'tiles' }, Object.values(tiles).map((t) => t.el)),
      parts,
      chartRow,
      card('Watched by anomaly rules', watched.note, watched.charts),
      card('Monitoring', monitoring),
    );
    const capacity = context.capacity();
    charts = {
      throughput: new TrendChart(chartRow, {
        title: 'Calls and errors per second', capacity, metric: 'throughput',
        series: [{ label: 'calls/s' }, { label: 'errors/s', color: '#e5534b' }],
        format: (v) => fmt.count(v),
      }),
      latency: new TrendChart(chartRow, {
        title: 'Duration (every operation)', capacity, metric: 'latency',
        series: [{ label: 'p50' }, { label: 'p95' }, { label: 'p99' }],
        format: fmt.ms,
      }),
    };
    loadTrends();
    loadWatched();
  },

  unmount() {
    Object.values(charts).forEach((c) => c.destroy());
    charts = null;
    watchedCharts.forEach((entry) => entry.chart.destroy());
    watchedCharts.clear();
  },

  hello() {
    loadTrends();
    loadWatched();
  },

  tick(message) {
    const o = message.overview;
    setText(tiles.calls.value, fmt.rate(o.callsPerSecond));
    setText(tiles.errorRate.value, fmt.percent(o.errorRate));
    setText(tiles.errorRate.note, `${fmt.count(o.errorsLastMinute)} of ${fmt.count(o.callsLastMinute)} calls, last minute`);
    setText(tiles.inFlight.value, fmt.count(o.inFlight));
    setText(tiles.operations.value, fmt.count(o.operations));
    setText(tiles.total.value, fmt.count(o.totalCalls));
    setText(tiles.errors.value, fmt.count(o.totalErrors));
    renderParts(o);
    renderMonitoring(o);
    const p = message.point;
    if (p && charts) {
      charts.throughput.push(p.time, p.callsPerSecond, p.errorsPerSecond);
      charts.latency.push(p.time, p.p50Ms, p.p95Ms, p.p99Ms);
    }
    if (Date.now() - watchedAt >= watchedEvery) loadWatched();
  },
};

async function loadTrends() {
  const series = await getJson('api/trends');
  if (!series || !charts) return;
  charts.throughput.setData(series.times, series.callsPerSecond, series.errorsPerSecond);
  charts.latency.setData(series.times, series.p50Ms, series.p95Ms, series.p99Ms);
}

// The series anomaly rules watch, the most anomalous first, each on its own chart with its band; or why there is none.
async function loadWatched() {
  watchedAt = Date.now();
  const data = await getJson('api/anomalies');
  if (!data || !charts) return;
  setText(watched.note, data.available
    ? `The ${data.series.length} series anomaly rules watch, the highest score first${data.omitted ? `, and ${fmt.count(data.omitted)} more` : ''}: the band is where the detector expected each value, a ring marks an anomalous point.`
    : data.message);
  renderWatched(watched.charts, watchedCharts, data.series);
}

// The health, gauge, cost and alert tiles: built again only when a part gains or loses its data, updated each tick.
function renderParts(o) {
  const key = [o.health.available, o.costToday.available, o.alerts.available].join('|');
  if (key !== partsKey) {
    partsKey = key;
    clear(parts);
    live = {};
    if (o.health.available) {
      live.health = tile('health-score', 'Health', '');
      live.health.el.classList.add('link-tile');
      live.health.el.addEventListener('click', () => { location.hash = '#/health'; });
      parts.append(live.health.el);
      for (const [name, label] of [['cpu', 'CPU'], ['memory', 'Memory'], ['disk', 'Disk'], ['gpu', 'GPU']]) {
        live[name] = gauge(name, label);
        parts.append(live[name].el);
      }
    } else {
      parts.append(waiting('Health', o.health.message, 'health'), waiting('CPU · memory · disk · GPU', o.health.message, 'gauges'));
    }
    if (o.costToday.available) {
      live.cost = tile('cost-today', 'Cost today', '');
      live.cost.el.classList.add('link-tile');
      live.cost.el.addEventListener('click', () => { location.hash = '#/costs'; });
      parts.append(live.cost.el);
    } else {
      parts.append(waiting('Cost today', o.costToday.message, 'cost-today'));
    }
    if (o.alerts.available) {
      live.alerts = tile('active-alerts', 'Active alerts', '');
      live.alerts.list = h('ul', { class: 'tile-list', 'data-list': 'top-alerts' });
      live.alerts.el.append(live.alerts.list);
      live.alerts.el.classList.add('link-tile');
      live.alerts.el.addEventListener('click', () => { location.hash = '#/alerts'; });
      parts.append(live.alerts.el);
    } else {
      parts.append(waiting('Active alerts', o.alerts.message, 'alerts'));
    }
  }

  if (live.health) {
    const health = o.health;
    setText(live.health.value, fmt.number(health.score));
    live.health.value.dataset.status = health.status;
    setText(live.health.note, `${health.status} · ${health.violations ? health.violations + ' threshold' + (health.violations === 1 ? '' : 's') + ' passed' : 'no threshold passed'} · ${fmt.moment(health.time)}`);
    updateGauge(live.cpu, health.cpu, (g) => g.note || '');
    updateGauge(live.memory, health.memory, (g) => (g.total ? `${fmt.bytes(g.used)} of ${fmt.bytes(g.total)}` : ''));
    updateGauge(live.disk, health.disk, (g) => (g.total ? `${fmt.bytes(g.used)} of ${fmt.bytes(g.total)} · ${g.subject}` : g.subject || ''));
    updateGauge(live.gpu, health.gpu, (g) => [g.subject, g.total ? `memory ${fmt.bytes(g.used)} of ${fmt.bytes(g.total)}` : ''].filter(Boolean).join(' · '));
  }

  if (live.cost) {
    const c = o.costToday;
    setText(live.cost.value, fmt.usd(c.todayUsd));
    const notes = [`${fmt.count(c.todayTokens)} tokens (UTC day)`];
    if (c.unpricedModels) notes.push(`${c.unpricedModels} unpriced model${c.unpricedModels === 1 ? '' : 's'}`);
    if (c.dailyBudgetPercent !== null && c.dailyBudgetPercent !== undefined) notes.push(`${fmt.number(c.dailyBudgetPercent)}% of the ${fmt.usd(c.dailyBudgetUsd)} daily budget`);
    setText(live.cost.note, notes.join(' · '));
    live.cost.value.dataset.status = c.dailyBudgetPercent >= 100 ? 'critical' : c.dailyBudgetPercent >= 80 ? 'degraded' : 'none';
  }

  if (live.alerts) {
    const a = o.alerts;
    setText(live.alerts.value, fmt.count(a.firing));
    live.alerts.value.dataset.status = a.firing > 0 ? 'critical' : 'healthy';
    setText(live.alerts.note, `firing · ${fmt.count(a.pending)} pending · ${fmt.count(a.silenced)} silenced`);
    live.alerts.list.replaceChildren(...a.top.map((t) => h('li', { class: 'sev-' + severityClass(t.severity) },
      h('span', { class: 'badge sev-' + severityClass(t.severity) }, t.severity), ' ', t.rule, t.silenced ? ' (silenced)' : '')));
  }
}

function severityClass(severity) {
  return severity === 'critical' ? 'critical' : severity === 'warning' ? 'warning' : 'info';
}

function gauge(metric, label) {
  const t = tile(metric, label, '');
  const bar = h('div', { class: 'gauge' });
  const fill = h('div', { class: 'gauge-fill' });
  const mark = h('div', { class: 'gauge-mark', hidden: true });
  bar.append(fill, mark);
  t.el.insertBefore(bar, t.note);
  return { ...t, fill, mark };
}

function updateGauge(g, data, hint) {
  if (!g || !data) return;
  if (data.percent === null || data.percent === undefined) {
    setText(g.value, 'no reading');
    g.value.classList.add('muted');
    g.fill.style.width = '0%';
    setText(g.note, data.note || '');
  } else {
    setText(g.value, fmt.unit(data.percent, 'percent'));
    g.value.classList.remove('muted');
    g.fill.style.width = Math.max(0, Math.min(100, data.percent)) + '%';
    g.fill.classList.toggle('over', data.threshold !== null && data.threshold !== undefined && data.percent > data.threshold);
    const parts = [hint(data)];
    if (data.threshold !== null && data.threshold !== undefined) parts.push(`threshold ${fmt.unit(data.threshold, 'percent')}`);
    setText(g.note, parts.filter(Boolean).join(' · '));
  }
  if (data.threshold !== null && data.threshold !== undefined) {
    g.mark.hidden = false;
    g.mark.style.left = Math.max(0, Math.min(100, data.threshold)) + '%';
  } else {
    g.mark.hidden = true;
  }
}

function renderMonitoring(o) {
  clear(monitoring);
  const storage = o.storage;
  const storageState = !storage.enabled ? 'off' : storage.available ? 'writing' : 'unavailable';
  const rows = [
    ['State', o.running ? `running for ${fmt.duration(o.uptimeSeconds)}` : 'not started (calls are still counted)'],
    ['Storage', storage.enabled ? `${storageState} · ${storage.path}` : 'off (storage.enabled: false)'],
    ['Stored', `${fmt.count(storage.written)} written · ${fmt.count(storage.pending)} pending · ${fmt.count(storage.dropped)} dropped · ${fmt.count(storage.lost)} lost`],
    ['Internal errors', o.internal.errors === 0 ? 'none' : o.internal.errorKinds.map((k) => `${k.name}: ${k.count}`).join(' · ')],
    ['Dropped items', o.internal.dropped === 0 ? 'none' : o.internal.droppedQueues.map((k) => `${k.name}: ${k.count}`).join(' · ')],
    ['Live clients', `${o.clients.connected} connected · ${o.clients.dropped} dropped for falling behind`],
  ];
  if (storage.fault) rows.splice(2, 0, ['Storage fault', storage.fault]);
  for (const [term, value] of rows) monitoring.append(h('dt', null, term), h('dd', null, value));
}
