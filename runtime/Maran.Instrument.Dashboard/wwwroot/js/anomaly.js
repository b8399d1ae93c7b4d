// The anomaly detector's view of a watched series, laid over its trend chart: the expected band shaded between its
// lower and upper edges, and a ring on each point the rule counts as anomalous (score at least the rule's min_score).
// The chart element says what was drawn (data-band-points, data-anomaly-marks), so a test can read it back.
// renderWatched draws series that no other chart shows (the overview's and the costs' watched series) on charts of their own.

import { h, clear } from './dom.js';
import { TrendChart } from './charts.js';
import * as fmt from './format.js';

const bandFill = 'rgba(78, 161, 255, 0.16)';
const markStroke = '#e5534b';

// Lays `reading` (an AnomalySeriesView of the API) over `chart` (a TrendChart); null takes the overlay away.
export function showAnomalies(chart, reading) {
  if (!reading) {
    if (chart.overlay) chart.setOverlay(null);
    delete chart.el.dataset.anomalySeries;
    delete chart.el.dataset.bandPoints;
    delete chart.el.dataset.anomalyMarks;
    return;
  }
  chart.el.dataset.anomalySeries = reading.series;
  chart.setOverlay((u) => draw(u, chart.el, reading));
}

function draw(u, el, reading) {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const x = (t) => u.valToPos(t / 1000, 'x', true);
  const y = (v) => u.valToPos(v, 'y', true);
  const banded = reading.points.filter((p) => p.lower !== null && p.upper !== null);
  const marked = reading.points.filter((p) => p.value !== null && (p.anomalous || p.score >= reading.minScore));
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  if (banded.length > 1) {
    ctx.beginPath();
    banded.forEach((p, i) => (i === 0 ? ctx.moveTo(x(p.time), y(p.upper)) : ctx.lineTo(x(p.time), y(p.upper))));
    for (let i = banded.length - 1; i >= 0; i--) ctx.lineTo(x(banded[i].time), y(banded[i].lower));
    ctx.closePath();
    ctx.fillStyle = bandFill;
    ctx.fill();
  }
  // The band is clipped to the plot; a ring is not, so one on a point at the top or bottom edge shows whole (a point
  // outside the chart's time range gets none).
  ctx.restore();
  ctx.save();
  ctx.strokeStyle = markStroke;
  ctx.lineWidth = 2;
  let drawn = 0;
  for (const p of marked) {
    const px = x(p.time);
    if (px < left - 1 || px > left + width + 1) continue;
    ctx.beginPath();
    ctx.arc(px, y(p.value), 5, 0, 2 * Math.PI);
    ctx.stroke();
    drawn++;
  }
  ctx.restore();
  el.dataset.bandPoints = String(banded.length > 1 ? banded.length : 0);
  el.dataset.anomalyMarks = String(drawn);
}

// A watched series' values in the unit its metric name says.
export function formatFor(metric) {
  if (metric.endsWith('_ms')) return fmt.ms;
  if (metric.endsWith('_usd')) return fmt.usd;
  if (metric.endsWith('_percent')) return (v) => fmt.unit(v, 'percent');
  if (metric.endsWith('_rate')) return fmt.percent;
  if (metric.endsWith('_per_second')) return fmt.rate;
  return fmt.number;
}

// Keeps one chart per series of `list` (AnomalySeriesViews) in `container`, `charts` a Map kept by the caller from
// series to chart: each chart draws the series' recent values with their band and marks; charts of series no longer
// listed are removed. The note under each says the rule, the latest score and the band it was expected in.
export function renderWatched(container, charts, list) {
  const seen = new Set();
  for (const reading of list) {
    const key = reading.rule + '|' + reading.series;
    seen.add(key);
    let entry = charts.get(key);
    if (!entry) {
      const format = formatFor(reading.metric);
      const chart = new TrendChart(container, {
        title: reading.series, capacity: 1000, metric: 'watched', height: 150, series: [{ label: reading.metric }], format,
      });
      chart.el.dataset.rule = reading.rule;
      const note = h('p', { class: 'muted small', 'data-field': 'watched-note' });
      chart.el.append(note);
      entry = { chart, note, format };
      charts.set(key, entry);
    }
    entry.chart.setData(reading.points.map((p) => p.time), reading.points.map((p) => p.value));
    showAnomalies(entry.chart, reading);
    clear(entry.note);
    const last = reading.points.length ? reading.points[reading.points.length - 1] : null;
    entry.note.append(last === null
      ? `rule ${reading.rule} · no point yet`
      : `rule ${reading.rule} · score ${fmt.number(last.score)} (alerts from ${fmt.number(reading.minScore)}) · `
        + (last.lower === null || last.upper === null ? 'no band yet: the detector is warming up' : `expected ${entry.format(last.lower)} to ${entry.format(last.upper)}`));
  }
  for (const [key, entry] of charts) {
    if (!seen.has(key)) {
      entry.chart.destroy();
      charts.delete(key);
    }
  }
}
