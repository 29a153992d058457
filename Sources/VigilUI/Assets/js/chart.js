// Time-series chart on a canvas, written for Vigil (no library). API:
//   const chart = new Chart(container, {height?, unit?, stacked?})
//   chart.setData(series, {start, end, step})   series: [{name, metric, values: [[t, v], ...]}]
//       t in unix seconds, v a number (NaN/±Inf allowed; they break the line)
//   chart.setStacked(bool), chart.setUnit(unit), chart.destroy()
//   chart.plotted() -> [{metric, values}] exactly what is drawn (the UI test compares it with
//       /api/v1/query_range); container.vigilChart is the chart, and container.dataset carries
//       series, points, drawMs and longestSliceMs when a draw completes (it then fires
//       'vigil-chart-drawn'). Each completed draw is a Performance API measure 'vigil-chart-draw'.
// Series are drawn in slices of ~24 ms, one per animation frame, so a big graph never freezes
// the page.
// Lines are decimated to the min and max per pixel column, so 1,000 series × 1,000 points draw
// as at most 2 × width segments per series. Hover shows a crosshair on a second canvas (the data
// canvas is not redrawn) and a legend with the exact values at the nearest timestamp.

import { h, replace } from './dom.js';
import { exactValue, formatClock, formatValue } from './format.js';

const MARGIN = { top: 8, right: 16, bottom: 22 };
// The longest a draw keeps the main thread before yielding to the next frame.
const SLICE_MS = 24;
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

export function seriesColor(index) {
  const hue = (index * 137.508) % 360;
  return `hsl(${hue.toFixed(1)}, 65%, 50%)`;
}

function niceStep(span, count) {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

function lowerBound(values, t) {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid][0] < t) lo = mid + 1; else hi = mid;
  }
  return lo;
}

export class Chart {
  constructor(container, options = {}) {
    this.container = container;
    this.height = options.height || 320;
    this.unit = options.unit || '';
    this.stacked = Boolean(options.stacked);
    this.series = [];
    this.hidden = new Set();
    this.range = { start: 0, end: 1, step: 1 };
    container.classList.add('chart');
    this.canvas = h('canvas', { class: 'chart-data' });
    this.overlay = h('canvas', { class: 'chart-overlay', 'aria-hidden': 'true' });
    this.tooltip = h('div', { class: 'chart-tooltip', hidden: true });
    this.legend = h('div', { class: 'chart-legend' });
    this.plot = h('div', { class: 'chart-plot', style: { height: `${this.height}px` } }, this.canvas, this.overlay, this.tooltip);
    replace(container, this.plot, this.legend);
    container.vigilChart = this;
    this.overlay.addEventListener('mousemove', (e) => this.hover(e));
    this.overlay.addEventListener('mouseleave', () => this.unhover());
    this.resizeObserver = new ResizeObserver(() => this.scheduleDraw());
    this.resizeObserver.observe(this.plot);
    this.onTheme = () => this.scheduleDraw();
    window.addEventListener('vigil-theme', this.onTheme);
  }

  destroy() {
    this.resizeObserver.disconnect();
    window.removeEventListener('vigil-theme', this.onTheme);
    cancelAnimationFrame(this.frame);
    delete this.container.vigilChart;
  }

  setData(series, range) {
    this.series = series.map((s, i) => ({ ...s, color: seriesColor(i) }));
    this.range = { ...range };
    this.hidden.clear();
    this.renderLegend();
    this.draw();
  }

  setStacked(stacked) { this.stacked = stacked; this.draw(); }

  setUnit(unit) { this.unit = unit; this.draw(); }

  plotted() {
    return this.visible().map((s) => ({ metric: s.metric, values: s.values.map(([t, v]) => [t, v]) }));
  }

  visible() {
    return this.series.filter((_, i) => !this.hidden.has(i));
  }

  scheduleDraw() {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.draw());
  }

  // Stacked values: each visible series adds to the sum of those before it at the same step.
  layers() {
    const visible = this.visible();
    if (!this.stacked) return visible.map((s) => ({ s, top: s.values, base: null }));
    const { start, end, step } = this.range;
    const slots = Math.max(1, Math.round((end - start) / step) + 1);
    const sums = new Float64Array(slots);
    return visible.map((s) => {
      const base = new Array(s.values.length);
      const top = new Array(s.values.length);
      for (let i = 0; i < s.values.length; i++) {
        const [t, v] = s.values[i];
        const slot = Math.min(slots - 1, Math.max(0, Math.round((t - start) / step)));
        const below = sums[slot];
        const value = Number.isFinite(v) ? below + v : below;
        base[i] = [t, below];
        top[i] = [t, value];
        sums[slot] = value;
      }
      return { s, top, base };
    });
  }

  draw() {
    const began = performance.now();
    cancelAnimationFrame(this.frame);
    delete this.container.dataset.drawMs;
    const width = Math.max(100, this.plot.clientWidth);
    const height = this.height;
    const ratio = window.devicePixelRatio || 1;
    for (const canvas of [this.canvas, this.overlay]) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
    }
    const ctx = this.canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const style = getComputedStyle(this.container);
    const textColor = style.getPropertyValue('--chart-text').trim() || '#666';
    const gridColor = style.getPropertyValue('--chart-grid').trim() || 'rgba(128,128,128,0.25)';
    ctx.font = '11px system-ui, sans-serif';

    const layers = this.layers();
    let min = Infinity;
    let max = -Infinity;
    let points = 0;
    for (const { top, base } of layers) {
      points += top.length;
      for (const [, v] of top) if (Number.isFinite(v)) { if (v < min) min = v; if (v > max) max = v; }
      if (base) for (const [, v] of base) { if (v < min) min = v; }
    }
    if (min === Infinity) { min = 0; max = 1; }
    if (this.stacked) min = Math.min(0, min);
    if (min === max) { const pad = Math.abs(min) * 0.1 || 1; min -= pad; max += pad; }
    const yStep = niceStep(max - min, Math.max(2, Math.floor(height / 50)));
    const yMin = Math.floor(min / yStep) * yStep;
    const yMax = Math.ceil(max / yStep) * yStep;
    const yTicks = [];
    for (let v = yMin; v <= yMax + yStep / 2; v += yStep) yTicks.push(Number(v.toPrecision(12)));
    const left = Math.ceil(Math.max(...yTicks.map((v) => ctx.measureText(formatValue(v, this.unit)).width))) + 12;
    const plotW = width - left - MARGIN.right;
    const plotH = height - MARGIN.top - MARGIN.bottom;
    const { start, end } = this.range;
    const span = Math.max(1e-9, end - start);
    const x = (t) => left + ((t - start) / span) * plotW;
    const y = (v) => MARGIN.top + (1 - (v - yMin) / (yMax - yMin)) * plotH;
    this.geometry = { left, plotW, plotH, start, span, x, y, yMin, yMax, layers };

    // Grid and axes.
    ctx.strokeStyle = gridColor;
    ctx.fillStyle = textColor;
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.beginPath();
    for (const v of yTicks) {
      const py = Math.round(y(v)) + 0.5;
      ctx.moveTo(left, py); ctx.lineTo(left + plotW, py);
      ctx.fillText(formatValue(v, this.unit), left - 6, py);
    }
    const tStep = TIME_STEPS.find((s) => (s / span) * plotW >= 90) || TIME_STEPS[TIME_STEPS.length - 1];
    const offset = new Date().getTimezoneOffset() * -60;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (let t = Math.ceil((start + offset) / tStep) * tStep - offset; t <= end; t += tStep) {
      const px = Math.round(x(t)) + 0.5;
      ctx.moveTo(px, MARGIN.top); ctx.lineTo(px, MARGIN.top + plotH);
      const label = formatClock(t, span);
      const half = ctx.measureText(label).width / 2;
      ctx.fillText(label, Math.min(width - half - 1, px), MARGIN.top + plotH + 5);
    }
    ctx.stroke();

    // Series, in slices of about one frame each, so a million points never block the page:
    // hover and scrolling stay live while a big graph fills in. A newer draw cancels this one.
    const generation = (this.generation || 0) + 1;
    this.generation = generation;
    const gap = (this.range.step || span) * 1.5;
    let next = 0;
    let longestSlice = 0;
    const slice = () => {
      if (this.generation !== generation) return;
      const sliceStart = performance.now();
      ctx.save();
      ctx.beginPath();
      ctx.rect(left, MARGIN.top, plotW, plotH);
      ctx.clip();
      // 1 px with bevel joins: Skia strokes these several times faster than wider round joins.
      ctx.lineWidth = 1;
      ctx.lineJoin = 'bevel';
      while (next < layers.length) {
        const { s, top, base } = layers[next++];
        ctx.strokeStyle = s.color;
        if (base) {
          ctx.fillStyle = s.color;
          ctx.globalAlpha = 0.35;
          this.fillBand(ctx, top, base, x, y, gap);
          ctx.globalAlpha = 1;
        }
        this.strokeLine(ctx, top, x, y, gap);
        if (performance.now() - sliceStart > SLICE_MS) break;
      }
      ctx.restore();
      longestSlice = Math.max(longestSlice, performance.now() - sliceStart);
      if (next < layers.length) {
        this.frame = requestAnimationFrame(slice);
        return;
      }
      const drawMs = performance.now() - began;
      performance.measure('vigil-chart-draw', { start: began, end: performance.now(), detail: { series: layers.length, points } });
      Object.assign(this.container.dataset, {
        series: String(layers.length), points: String(points), drawMs: drawMs.toFixed(1), longestSliceMs: longestSlice.toFixed(1),
      });
      this.container.dispatchEvent(new CustomEvent('vigil-chart-drawn'));
    };
    slice();
  }

  // One path per series; within a pixel column only the first, min, max and last points are kept.
  strokeLine(ctx, values, x, y, gap) {
    ctx.beginPath();
    let open = false;
    let column = NaN;
    let lo = 0;
    let hi = 0;
    let last = 0;
    let previousT = -Infinity;
    const flush = () => { if (open) { ctx.lineTo(column, lo); ctx.lineTo(column, hi); ctx.lineTo(column, last); } };
    for (let i = 0; i < values.length; i++) {
      const [t, v] = values[i];
      if (!Number.isFinite(v) || t - previousT > gap) { flush(); open = false; column = NaN; }
      previousT = t;
      if (!Number.isFinite(v)) continue;
      const px = Math.round(x(t));
      const py = y(v);
      if (!open) {
        ctx.moveTo(px, py);
        if (i + 1 >= values.length || !Number.isFinite(values[i + 1][1])) ctx.lineTo(px + 0.5, py);
        open = true; column = px; lo = hi = last = py;
      } else if (px === column) {
        if (py < lo) lo = py; if (py > hi) hi = py; last = py;
      } else {
        flush();
        ctx.lineTo(px, py);
        column = px; lo = hi = last = py;
      }
    }
    flush();
    ctx.stroke();
  }

  fillBand(ctx, top, base, x, y, gap) {
    let runStart = 0;
    for (let i = 1; i <= top.length; i++) {
      if (i === top.length || top[i][0] - top[i - 1][0] > gap) {
        ctx.beginPath();
        for (let j = runStart; j < i; j++) ctx.lineTo(x(top[j][0]), y(top[j][1]));
        for (let j = i - 1; j >= runStart; j--) ctx.lineTo(x(base[j][0]), y(base[j][1]));
        ctx.closePath();
        ctx.fill();
        runStart = i;
      }
    }
  }

  renderLegend() {
    const items = this.series.map((s, i) => h('button', {
      type: 'button', class: 'legend-item', title: 'Click: show only this series; Ctrl/Cmd-click: toggle',
      on: {
        click: (e) => {
          if (e.ctrlKey || e.metaKey) {
            if (this.hidden.has(i)) this.hidden.delete(i); else this.hidden.add(i);
          } else if (this.hidden.size === this.series.length - 1 && !this.hidden.has(i)) {
            this.hidden.clear();
          } else {
            this.hidden = new Set(this.series.map((_, j) => j).filter((j) => j !== i));
          }
          this.legend.querySelectorAll('.legend-item').forEach((el, j) => el.classList.toggle('off', this.hidden.has(j)));
          this.draw();
        },
      },
    }, h('span', { class: 'swatch', style: { background: s.color } }), s.name));
    replace(this.legend, items);
  }

  hover(event) {
    const g = this.geometry;
    if (!g || !g.layers.length) return;
    const rect = this.overlay.getBoundingClientRect();
    const mx = event.clientX - rect.left;
    const my = event.clientY - rect.top;
    const t = g.start + ((mx - g.left) / g.plotW) * g.span;
    const tolerance = Math.max(this.range.step || 0, g.span / g.plotW) * 0.75;
    const rows = [];
    let time = null;
    for (const { s, top } of g.layers) {
      const i = lowerBound(top, t);
      const candidates = [i - 1, i].filter((j) => j >= 0 && j < top.length);
      let best = -1;
      for (const j of candidates) if (best < 0 || Math.abs(top[j][0] - t) < Math.abs(top[best][0] - t)) best = j;
      if (best < 0 || Math.abs(top[best][0] - t) > tolerance) continue;
      const original = s.values[best];
      time = time === null ? original[0] : time;
      rows.push({ s, value: original[1], py: g.y(top[best][1]), px: g.x(top[best][0]) });
    }
    const ctx = this.overlay.getContext('2d');
    const ratio = window.devicePixelRatio || 1;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, this.overlay.width, this.overlay.height);
    if (!rows.length) { this.tooltip.hidden = true; return; }
    rows.sort((a, b) => Math.abs(a.py - my) - Math.abs(b.py - my));
    const nearest = rows[0];
    ctx.strokeStyle = 'rgba(128,128,128,0.7)';
    ctx.beginPath();
    ctx.moveTo(Math.round(nearest.px) + 0.5, MARGIN.top);
    ctx.lineTo(Math.round(nearest.px) + 0.5, MARGIN.top + g.plotH);
    ctx.stroke();
    ctx.fillStyle = nearest.s.color;
    ctx.beginPath();
    ctx.arc(nearest.px, nearest.py, 4, 0, Math.PI * 2);
    ctx.fill();
    const shown = rows.slice(0, 12);
    replace(this.tooltip,
      h('div', { class: 'tooltip-time' }, new Date(time * 1000).toISOString()),
      shown.map((r, k) => h('div', { class: ['tooltip-row', k === 0 && 'nearest'] },
        h('span', { class: 'swatch', style: { background: r.s.color } }),
        h('span', { class: 'tooltip-name' }, r.s.name),
        h('span', { class: 'tooltip-value' }, exactValue(r.value)))),
      rows.length > shown.length ? h('div', { class: 'tooltip-more' }, `and ${rows.length - shown.length} more`) : null);
    this.tooltip.hidden = false;
    const plotWidth = this.plot.clientWidth;
    const tipWidth = this.tooltip.offsetWidth;
    const leftPx = mx + 16 + tipWidth > plotWidth ? Math.max(0, mx - 16 - tipWidth) : mx + 16;
    this.tooltip.style.left = `${leftPx}px`;
    this.tooltip.style.top = `${Math.max(0, Math.min(my, this.height - this.tooltip.offsetHeight))}px`;
  }

  unhover() {
    const ctx = this.overlay.getContext('2d');
    ctx.clearRect(0, 0, this.overlay.width, this.overlay.height);
    this.tooltip.hidden = true;
  }
}
