// Trend charts drawn by uPlot (the pinned copy under assets/vendor). Each chart keeps at most `capacity` points,
// the same number the server keeps, so a long-open page holds no more than the server does. A series drawn as bars
// (`bars: true`) suits counts per hour or day.

import { h } from './dom.js';

const palette = ['#4ea1ff', '#f2994a', '#e5534b', '#57ab5a', '#b083f0', '#d4a72c'];

export class TrendChart {
  // `step` (seconds between points) widens the time axis by half a step each side, so the first and last bars show whole.
  constructor(container, { title, series, capacity, height = 180, format = (v) => v, metric, step }) {
    this.capacity = capacity || 600;
    this.columns = [[], ...series.map(() => [])];
    this.format = format;
    this.el = h('div', { class: 'chart', 'data-chart': metric || '' }, h('h3', null, title));
    this.plotEl = h('div', { class: 'chart-plot' });
    this.el.append(this.plotEl);
    container.append(this.el);
    const uPlot = globalThis.uPlot;
    const axis = { stroke: '#8b949e', grid: { stroke: '#30363d', width: 1 }, ticks: { stroke: '#30363d' } };
    this.plot = new uPlot({
      width: Math.max(200, this.plotEl.clientWidth || 400),
      height,
      cursor: { drag: { x: false, y: false } },
      // Whatever is laid over the lines (the anomaly band and marks of anomaly.js) draws after them, on every redraw.
      hooks: { draw: [(u) => { if (this.overlay) this.overlay(u); }] },
      legend: { show: true },
      scales: { x: step ? { time: true, range: (u, min, max) => [min - step / 2, max + step / 2] } : { time: true } },
      axes: [
        // Whole seconds, round minutes, hours and days only: a few seconds of history must not be labelled in
        // half-seconds, nor a month of hours with an hour a label.
        { ...axis, space: 70, incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800] },
        // Wide enough for the longest label ("500 items", "1.25 GiB"), so none is cut.
        { ...axis, size: (u, values) => Math.max(60, 16 + 8 * Math.max(0, ...(values || []).map((v) => String(v).length))), values: (u, ticks) => ticks.map((t) => format(t)) },
      ],
      series: [
        {},
        ...series.map((s, i) => {
          const color = s.color || palette[i % palette.length];
          return {
            label: s.label,
            stroke: color,
            width: s.width || 1.5,
            dash: s.dash,
            spanGaps: false,
            points: { show: false },
            ...(s.bars ? { paths: uPlot.paths.bars({ size: [0.7, 40] }), fill: color + '88' } : {}),
            value: (u, v) => (v === null || v === undefined ? '–' : format(v)),
          };
        }),
      ],
    }, this.columns, this.plotEl);
    this.resize = new ResizeObserver(() => this.plot.setSize({ width: Math.max(200, this.plotEl.clientWidth), height }));
    this.resize.observe(this.plotEl);
  }

  // times in Unix milliseconds; each column an array of numbers or nulls, aligned with times.
  setData(times, ...columns) {
    const start = Math.max(0, times.length - this.capacity);
    this.columns = [times.slice(start).map((t) => t / 1000), ...columns.map((c) => c.slice(start))];
    this.plot.setData(this.columns);
  }

  push(time, ...values) {
    const xs = this.columns[0];
    const x = time / 1000;
    if (xs.length > 0 && xs[xs.length - 1] >= x) return;
    xs.push(x);
    values.forEach((v, i) => this.columns[i + 1].push(v === undefined ? null : v));
    if (xs.length > this.capacity) this.columns.forEach((c) => c.splice(0, c.length - this.capacity));
    this.plot.setData(this.columns);
  }

  // Draws `overlay(u)` over the chart from now on (null removes it), and redraws.
  setOverlay(overlay) {
    this.overlay = overlay;
    this.plot.redraw(false, false);
  }

  destroy() {
    this.resize.disconnect();
    this.plot.destroy();
    this.el.remove();
  }
}
