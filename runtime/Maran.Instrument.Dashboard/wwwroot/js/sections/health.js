// Health: the health monitor's score and status over time, each reading over time with its threshold as a dashed
// line, the threshold violations (now and as episodes over the kept samples), the GPUs or why there are none, the
// custom metrics, and what could not be read or checked.

import { h, card, setText, clear } from '../dom.js';
import { TrendChart } from '../charts.js';
import { showAnomalies } from '../anomaly.js';
import * as fmt from '../format.js';

let els, charts, scoreChart;

export default {
  mount(root, context) {
    charts = new Map();
    els = {
      summary: h('div', { class: 'tiles', 'data-block': 'health-now' }),
      note: h('p', { class: 'muted small', 'data-block': 'health-note' }),
      scoreRow: h('div', { class: 'charts' }),
      violations: h('div', { 'data-block': 'violations' }),
      episodes: h('div', { 'data-block': 'episodes' }),
      gpus: h('div', { 'data-block': 'gpus' }),
      readings: h('div', { class: 'charts', 'data-block': 'readings' }),
      custom: h('div', { 'data-block': 'custom' }),
      customCharts: h('div', { class: 'charts' }),
      table: h('tbody', { 'data-table': 'readings' }),
      unread: h('div', { 'data-block': 'unread' }),
    };
    root.append(
      h('h1', null, 'Health'),
      els.note,
      els.summary,
      els.scoreRow,
      h('div', { class: 'two' }, card('Threshold violations now', els.violations), card('GPUs', els.gpus)),
      card('Violations in the kept samples', els.episodes),
      h('h2', { class: 'section-title' }, 'Readings over time'),
      els.readings,
      card('Custom metrics', els.custom, els.customCharts),
      card('Latest readings', h('div', { class: 'table-wrap' }, h('table', { class: 'ops list' },
        h('thead', null, h('tr', null, ['Reading', 'Of', 'Value', 'Threshold'].map((t) => h('th', { scope: 'col' }, t)))), els.table))),
      card('Not read or not checked', els.unread),
    );
    scoreChart = new TrendChart(els.scoreRow, {
      title: 'Health score', capacity: 100000, metric: 'health-score', height: 160,
      series: [{ label: 'score', color: '#57ab5a' }], format: (v) => fmt.number(v),
    });
    context.setView('health', {});
  },

  unmount() {
    for (const entry of charts.values()) entry.chart.destroy();
    charts = null;
    scoreChart.destroy();
    scoreChart = null;
  },

  view(data) {
    setText(els.note, data.message || `A sample every ${fmt.number(data.intervalSeconds)} s (monitoring.health_check_interval); ${fmt.count(data.kept)} of at most ${fmt.count(data.capacity)} samples kept.`);
    renderSummary(data);
    if (!data.hasSample) return;
    const series = data.series;
    scoreChart.setData(series.times, series.score);
    renderViolations(data.now.violations);
    renderEpisodes(data.episodes);
    renderGpus(data);
    renderCharts(series, data.anomalies);
    renderTable(data.readings);
    renderUnread(data.now);
  },
};

function renderSummary(data) {
  clear(els.summary);
  if (!data.hasSample) {
    els.summary.append(h('div', { class: 'tile waiting', 'data-placeholder': 'health' },
      h('div', { class: 'tile-label' }, 'Health'), h('div', { class: 'tile-value muted' }, 'waiting for data'), h('div', { class: 'tile-hint' }, data.message)));
    return;
  }
  const now = data.now;
  const facts = [
    ['Score', h('span', { 'data-metric': 'score', 'data-status': now.status }, fmt.number(now.score)), now.status],
    ['Sampled', fmt.moment(now.time), data.sampling ? `every ${fmt.number(data.intervalSeconds)} s` : 'not sampling now'],
    ['Thresholds passed', fmt.count(now.violations.length), now.violations.map((v) => v.key).join(', ') || 'none'],
  ];
  for (const [label, value, hint] of facts) {
    els.summary.append(h('div', { class: 'tile' }, h('div', { class: 'tile-label' }, label), h('div', { class: 'tile-value' }, value), h('div', { class: 'tile-hint' }, hint)));
  }
}

function subjectText(subject) {
  return subject === null || subject === undefined ? '' : subject;
}

function renderViolations(violations) {
  clear(els.violations);
  if (violations.length === 0) {
    els.violations.append(h('p', { class: 'muted' }, 'No reading is past its threshold.'));
    return;
  }
  els.violations.append(h('table', { class: 'ops list' },
    h('thead', null, h('tr', null, ['Reading', 'Of', 'Value', 'Threshold', 'Points off'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', { 'data-table': 'violations' }, violations.map((v) => h('tr', null,
      h('td', null, h('code', null, v.key)), h('td', null, subjectText(v.subject)),
      h('td', { class: 'bad' }, fmt.unit(v.value, v.unit)), h('td', null, fmt.unit(v.threshold, v.unit)), h('td', null, fmt.number(v.penalty)))))));
}

function renderEpisodes(episodes) {
  clear(els.episodes);
  if (episodes.length === 0) {
    els.episodes.append(h('p', { class: 'muted' }, 'No reading passed its threshold in the kept samples.'));
    return;
  }
  els.episodes.append(h('div', { class: 'table-wrap' }, h('table', { class: 'ops list' },
    h('thead', null, h('tr', null, ['Reading', 'Of', 'From', 'To', 'Samples', 'Worst', 'Threshold'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', { 'data-table': 'episodes' }, episodes.map((e) => h('tr', { class: e.ongoing ? 'ongoing' : '' },
      h('td', null, h('code', null, e.key), e.ongoing ? h('span', { class: 'badge sev-critical' }, 'now') : ''),
      h('td', null, subjectText(e.subject)), h('td', null, fmt.moment(e.from)), h('td', null, fmt.moment(e.to)),
      h('td', null, fmt.count(e.samples)), h('td', { class: 'bad' }, fmt.unit(e.peak, e.unit)), h('td', null, fmt.unit(e.threshold, e.unit))))))));
}

function renderGpus(data) {
  clear(els.gpus);
  els.gpus.append(h('p', { 'data-field': 'gpu-status', class: data.gpus.length ? '' : 'muted' }, data.gpuStatus || 'No GPU reading.'));
  for (const gpu of data.gpus) {
    const facts = h('dl', { class: 'facts' },
      h('dt', null, 'Device'), h('dd', null, `${gpu.subject}${gpu.name ? ' · ' + gpu.name : ''}`),
      gpu.uuid ? [h('dt', null, 'UUID'), h('dd', null, h('code', null, gpu.uuid))] : null,
      gpu.readings.flatMap((r) => [h('dt', null, r.key), h('dd', { class: r.violated ? 'bad' : '' }, fmt.unit(r.value, r.unit))]),
      gpu.problems.length ? [h('dt', null, 'Problems'), h('dd', null, gpu.problems.join('; '))] : null);
    els.gpus.append(h('div', { class: 'gpu', 'data-gpu': gpu.index }, facts));
  }
}

function renderCharts(series, anomalies) {
  const seen = new Set();
  let customCount = 0;
  for (const group of series.groups) {
    seen.add(group.key);
    if (group.custom) customCount++;
    const signature = group.unit + '|' + group.series.map((s) => subjectText(s.subject)).join('|') + '|' + (group.threshold ?? '');
    let entry = charts.get(group.key);
    if (entry && entry.signature !== signature) {
      entry.chart.destroy();
      entry = null;
    }
    if (!entry) {
      const lines = group.series.map((s) => ({ label: s.subject === null || s.subject === undefined ? group.key : s.subject }));
      if (group.threshold !== null && group.threshold !== undefined) lines.push({ label: 'threshold', color: '#e5534b', dash: [6, 4], width: 1 });
      const chart = new TrendChart(group.custom ? els.customCharts : els.readings, {
        title: group.key + (group.threshold !== null && group.threshold !== undefined ? ` (threshold ${fmt.unit(group.threshold, group.unit)})` : ''),
        capacity: 100000, metric: 'reading-' + group.key, height: 150, series: lines, format: (v) => fmt.unit(v, group.unit),
      });
      entry = { chart, signature };
      charts.set(group.key, entry);
    }
    const columns = group.series.map((s) => s.values);
    if (group.threshold !== null && group.threshold !== undefined) columns.push(series.times.map(() => group.threshold));
    entry.chart.setData(series.times, ...columns);
    showAnomalies(entry.chart, watchedSeries(anomalies, group));
  }
  for (const [key, entry] of charts) {
    if (!seen.has(key)) {
      entry.chart.destroy();
      charts.delete(key);
    }
  }
  clear(els.custom);
  if (customCount === 0) {
    els.custom.append(h('p', { class: 'muted' }, 'No custom metric: feed one with HealthMonitor.SetCustomMetric(name, value) and give it a threshold in monitoring.health_thresholds.'));
  }
  if (series.omitted > 0) els.readings.dataset.omitted = String(series.omitted);
}

// The watched series a reading's chart draws: the one of its metric (the first, when several rules watch it), when
// the chart has one line or the series is the metric as a whole.
function watchedSeries(anomalies, group) {
  return (anomalies || []).find((a) => a.metric === group.key && (group.series.length === 1 || a.labels.length === 0)) || null;
}

function renderTable(readings) {
  els.table.replaceChildren(...readings.map((r) => h('tr', { class: r.violated ? 'violated' : '', 'data-reading': r.key },
    h('td', null, h('code', null, r.key), r.custom ? h('span', { class: 'badge' }, 'custom') : ''),
    h('td', null, subjectText(r.subject)),
    h('td', { class: r.violated ? 'bad' : '' }, fmt.unit(r.value, r.unit)),
    h('td', null, r.threshold === null || r.threshold === undefined ? '–' : fmt.unit(r.threshold, r.unit)))));
}

function renderUnread(now) {
  clear(els.unread);
  const items = [...now.unavailable.map((u) => ['not read', u]), ...now.unchecked.map((u) => ['not checked', u])];
  if (items.length === 0) {
    els.unread.append(h('p', { class: 'muted' }, 'Every reading was taken and every threshold checked.'));
    return;
  }
  els.unread.append(h('ul', { class: 'plain-list' }, items.map(([kind, text]) => h('li', null, h('span', { class: 'muted' }, kind + ': '), text))));
}
