/**
 * Headless chart rendering: chart.js 4 drawing on an @napi-rs/canvas canvas, returned as PNG bytes.
 *
 * chart.js picks its "basic" platform when there is no DOM, so nothing here needs a browser. Every chart is
 * drawn once, without animation or responsiveness, at a fixed size and a device pixel ratio of 1, so the same
 * data yields the same picture. Three small plugins do what chart.js leaves to the page: a white background
 * (PNG would otherwise be transparent), a footer with the scenario and seed, and vertical markers (percentile
 * lines, the end of warm-up) with an optional shaded region before the first marker.
 *
 * Fonts: the canvas's default `sans-serif` (DejaVu Sans on Debian-like systems). Text renders with whatever
 * sans-serif the machine has, so PNG bytes can differ between machines but not between runs on one machine.
 */
import { createCanvas } from '@napi-rs/canvas';
import {
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  SubTitle,
  Title,
  type ChartConfiguration,
  type ChartItem,
  type Plugin,
} from 'chart.js';

// Registration is idempotent; chart.js keeps one registry per module instance.
Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Title, SubTitle, Legend, Filler);

export const CHART_WIDTH_PX = 1200;
export const CHART_HEIGHT_PX = 600;
export const FONT_FAMILY = 'sans-serif';

/** Tableau 10: distinct hues that stay distinguishable for common colour-vision deficiencies. */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
] as const;

export function colour(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

/** A vertical line at `x` (in the x scale's units) with a label at its top. */
export interface Marker {
  x: number;
  label: string;
  colour?: string;
}

export interface ChartDecorations {
  /** Bottom-right footer, e.g. `overload-burst · seed 42`. */
  footer: string;
  markers?: Marker[];
  /** Shade the plot area left of this x (e.g. the warm-up), with a label. */
  shadeBefore?: { x: number; label: string };
  /** Shade these x intervals (scheduled faults in red, workload bursts in amber), each labelled at its top left. */
  intervals?: { from: number; to: number; label: string; kind?: 'fault' | 'burst' }[];
}

const backgroundPlugin: Plugin<'line'> = {
  id: 'owsimBackground',
  beforeDraw(chart) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

/** Fault intervals: a light red band over the plot height, its label at the top, staggered when they crowd. */
function drawIntervals(chart: Chart<'line'>, intervals: NonNullable<ChartDecorations['intervals']>): void {
  if (intervals.length === 0) return;
  const { ctx, chartArea } = chart;
  const xScale = chart.scales['x']!;
  ctx.save();
  ctx.font = `12px ${FONT_FAMILY}`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  intervals.forEach((iv, i) => {
    const left = Math.max(chartArea.left, xScale.getPixelForValue(iv.from));
    const right = Math.min(chartArea.right, Math.max(left + 2, xScale.getPixelForValue(iv.to)));
    if (right <= chartArea.left || left >= chartArea.right) return;
    const burst = iv.kind === 'burst';
    ctx.fillStyle = burst ? 'rgba(230, 160, 20, 0.13)' : 'rgba(214, 39, 40, 0.10)';
    ctx.fillRect(left, chartArea.top, right - left, chartArea.bottom - chartArea.top);
    ctx.fillStyle = burst ? '#8a5a00' : '#a02020';
    ctx.fillText(iv.label, left + 3, chartArea.top + 24 + (i % 3) * 15);
  });
  ctx.restore();
}

function decorationsPlugin(d: ChartDecorations): Plugin<'line'> {
  return {
    id: 'owsimDecorations',
    beforeDatasetsDraw(chart) {
      drawIntervals(chart, d.intervals ?? []);
      if (!d.shadeBefore) return;
      const { ctx, chartArea } = chart;
      const xScale = chart.scales['x']!;
      const right = Math.min(chartArea.right, Math.max(chartArea.left, xScale.getPixelForValue(d.shadeBefore.x)));
      if (right <= chartArea.left) return;
      ctx.save();
      ctx.fillStyle = 'rgba(0, 0, 0, 0.06)';
      ctx.fillRect(chartArea.left, chartArea.top, right - chartArea.left, chartArea.bottom - chartArea.top);
      ctx.fillStyle = '#666666';
      ctx.font = `13px ${FONT_FAMILY}`;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'top';
      ctx.fillText(d.shadeBefore.label, chartArea.left + 6, chartArea.top + 6);
      ctx.restore();
    },
    afterDatasetsDraw(chart) {
      const { ctx, chartArea } = chart;
      const xScale = chart.scales['x']!;
      ctx.save();
      ctx.font = `bold 13px ${FONT_FAMILY}`;
      ctx.textBaseline = 'top';
      let index = 0;
      for (const m of d.markers ?? []) {
        const x = xScale.getPixelForValue(m.x);
        if (!(x >= chartArea.left && x <= chartArea.right)) continue;
        ctx.strokeStyle = m.colour ?? '#333333';
        ctx.lineWidth = 1.5;
        ctx.setLineDash([6, 4]);
        ctx.beginPath();
        ctx.moveTo(x, chartArea.top);
        ctx.lineTo(x, chartArea.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        // Labels sit near the bottom (curves crowd the top of a CDF), right of their line unless that would
        // leave the plot, on a white box so grid lines and curves do not cross the text.
        const width = ctx.measureText(m.label).width;
        const leftSide = x + 6 + width + 8 > chartArea.right;
        const boxX = leftSide ? x - 6 - width - 8 : x + 6;
        const boxY = chartArea.bottom - 30 - 22 * index;
        ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
        ctx.fillRect(boxX, boxY, width + 8, 19);
        ctx.fillStyle = m.colour ?? '#333333';
        ctx.textAlign = 'left';
        ctx.fillText(m.label, boxX + 4, boxY + 3);
        index++;
      }
      ctx.restore();
    },
    afterDraw(chart) {
      const ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = '#666666';
      ctx.font = `12px ${FONT_FAMILY}`;
      ctx.textAlign = 'right';
      ctx.textBaseline = 'bottom';
      ctx.fillText(d.footer, chart.width - 12, chart.height - 6);
      ctx.restore();
    },
  };
}

/** The font and layout options every owsim chart shares. */
export function baseOptions(title: string, subtitle: string | undefined): NonNullable<ChartConfiguration<'line'>['options']> {
  return {
    responsive: false,
    animation: false,
    devicePixelRatio: 1,
    layout: { padding: { top: 8, right: 20, bottom: 26, left: 12 } },
    font: { family: FONT_FAMILY, size: 14 },
    color: '#222222',
    elements: { point: { radius: 0 }, line: { borderWidth: 2, tension: 0 } },
    plugins: {
      title: { display: true, text: title, font: { family: FONT_FAMILY, size: 20, weight: 'bold' }, color: '#111111', padding: { top: 4, bottom: 4 } },
      subtitle: {
        display: subtitle !== undefined,
        text: subtitle ?? '',
        font: { family: FONT_FAMILY, size: 14 },
        color: '#555555',
        padding: { bottom: 10 },
      },
      legend: { position: 'top', labels: { font: { family: FONT_FAMILY, size: 14 }, boxWidth: 24, boxHeight: 3 } },
    },
  };
}

export function axisTitle(text: string): { display: true; text: string; font: { family: string; size: number } } {
  return { display: true, text, font: { family: FONT_FAMILY, size: 15 } };
}

/** Draws `config` and returns the PNG bytes. */
export function renderChart(
  config: ChartConfiguration<'line'>,
  decorations: ChartDecorations,
  size: { widthPx: number; heightPx: number } = { widthPx: CHART_WIDTH_PX, heightPx: CHART_HEIGHT_PX },
): Buffer {
  const canvas = createCanvas(size.widthPx, size.heightPx);
  const ctx = canvas.getContext('2d');
  const plugins = [backgroundPlugin, decorationsPlugin(decorations), ...(config.plugins ?? [])];
  // chart.js is typed against the DOM canvas; @napi-rs/canvas implements the same 2D context API.
  const chart = new Chart(ctx as unknown as ChartItem, { ...config, plugins });
  try {
    return canvas.toBuffer('image/png');
  } finally {
    chart.destroy();
  }
}
