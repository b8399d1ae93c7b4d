// The anomaly detector's view of a watched series, laid over its trend chart: the expected band shaded between its
// lower and upper edges, and a ring on each point the rule counts as anomalous (score at least the rule's min_score).
// The chart element says what was drawn (data-band-points, data-anomaly-marks), so a test can read it back.

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
  ctx.strokeStyle = markStroke;
  ctx.lineWidth = 2;
  for (const p of marked) {
    ctx.beginPath();
    ctx.arc(x(p.time), y(p.value), 5, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.restore();
  el.dataset.bandPoints = String(banded.length > 1 ? banded.length : 0);
  el.dataset.anomalyMarks = String(marked.length);
}
