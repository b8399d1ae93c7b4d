// Overview: live totals of every monitored operation, the monitoring's own state, and a "waiting for data" card
// for each part whose data source this build lacks (never a made-up figure).

import { h, card, tile, waiting, setText, clear } from '../dom.js';
import { TrendChart } from '../charts.js';
import { getJson } from '../live.js';
import * as fmt from '../format.js';

let tiles, placeholders, monitoring, charts;

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
    placeholders = h('div', { class: 'tiles' });
    monitoring = h('dl', { class: 'facts', 'data-block': 'monitoring' });
    const chartRow = h('div', { class: 'charts' });
    root.append(
      h('h1', null, 'Overview'),
      h('div', { class: 'tiles' }, Object.values(tiles).map((t) => t.el)),
      placeholders,
      chartRow,
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
  },

  unmount() {
    Object.values(charts).forEach((c) => c.destroy());
    charts = null;
  },

  hello() {
    loadTrends();
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
    renderPlaceholders(o);
    renderMonitoring(o);
    const p = message.point;
    if (p && charts) {
      charts.throughput.push(p.time, p.callsPerSecond, p.errorsPerSecond);
      charts.latency.push(p.time, p.p50Ms, p.p95Ms, p.p99Ms);
    }
  },
};

async function loadTrends() {
  const series = await getJson('api/trends');
  if (!series || !charts) return;
  charts.throughput.setData(series.times, series.callsPerSecond, series.errorsPerSecond);
  charts.latency.setData(series.times, series.p50Ms, series.p95Ms, series.p99Ms);
}

function renderPlaceholders(o) {
  if (placeholders.childElementCount > 0) return;
  const parts = [
    ['Health', 'health', o.health],
    ['CPU · memory · disk · GPU', 'gauges', o.health],
    ['Cost today', 'cost-today', o.costToday],
    ['Active alerts', 'alerts', o.alerts],
  ];
  for (const [label, metric, part] of parts) {
    if (!part.available) placeholders.append(waiting(label, part.message, metric));
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
