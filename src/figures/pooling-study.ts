/**
 * The pooling study's figure (from figures/results/pooling-study.json): left, linear-probe test accuracy of
 * each pooling of each trained model's pre-pool maps (mean ± sd over seeds, the axis fitted to the data);
 * right, each pooling's paired difference from the quantum pooling in accuracy points (mean and 95 %
 * t-interval over seeds) around a zero line. One colour per pooling, shared by both panels and the legend.
 */
import { type Figure, type Trace, COLORS, FONT_SIZES, baseLayout, gridAxis, titleLayout } from '../viz';
import type { PoolingStudySummary } from '../studies';

/** Colour per pooling variant (others take grey). */
const VARIANT_COLORS: Record<string, string> = {
  none: COLORS.grey, avg: COLORS.orange, max: COLORS.vermillion, learned: COLORS.green, quantum: COLORS.blue,
  'quantum (model)': COLORS.sky, 'learned (model)': COLORS.purple,
};
const VARIANT_LABELS: Record<string, string> = {
  none: 'no pooling (4× the features; the information ceiling)', avg: 'average', max: 'max', learned: 'learned classical (parameter-matched)',
  quantum: 'quantum (Hur), fitted', 'quantum (model)': "quantum, the model's own", 'learned (model)': "learned classical, the model's own",
};

/** The [lo, hi] range around `values` with a margin of `pad` of their span (at least `minSpan`). */
function rangeAround(values: number[], pad = 0.15, minSpan = 1): [number, number] {
  const lo = Math.min(...values), hi = Math.max(...values);
  const span = Math.max(hi - lo, minSpan);
  return [lo - pad * span, hi + pad * span];
}

/** The study's figure; see the file comment. */
export function poolingStudyFigure(summary: PoolingStudySummary, options: { title?: string } = {}): Figure {
  if (!summary || !Array.isArray(summary.rows) || summary.rows.length === 0) throw new Error('poolingStudyFigure(summary): expected a pooling-study summary with rows');
  const models = [...new Set(summary.rows.map((r) => r.model))];
  const variants = [...new Set(summary.rows.map((r) => r.variant))];
  const width = 0.7 / variants.length;
  const at = (model: string, k: number) => models.indexOf(model) + (k - (variants.length - 1) / 2) * width;
  const data: Trace[] = [];
  const accValues: number[] = [];
  const diffValues: number[] = [0];
  variants.forEach((variant, k) => {
    const color = VARIANT_COLORS[variant] ?? COLORS.grey;
    const rows = summary.rows.filter((r) => r.variant === variant);
    const pct = rows.map((r) => 100 * r.mean), sd = rows.map((r) => 100 * (r.sd ?? 0));
    pct.forEach((v, i) => accValues.push(v - sd[i], v + sd[i]));
    data.push({
      type: 'scatter', mode: 'markers', name: VARIANT_LABELS[variant] ?? variant, legendgroup: variant,
      x: rows.map((r) => at(r.model, k)), y: pct, error_y: { type: 'data', array: sd, visible: true, color, thickness: 1.5, width: 4 },
      marker: { color, size: 9, symbol: variant === 'none' ? 'diamond' : 'circle' },
      customdata: rows.map((r) => [r.model, r.testAccuracies.map((a) => (100 * a).toFixed(2)).join(', '), r.featureDim, r.parameters]),
      hovertemplate: '%{customdata[0]}: %{y:.2f} %% (seeds: %{customdata[1]}; %{customdata[2]} features, %{customdata[3]} parameters)<extra>' + variant + '</extra>',
    });
    const diffs = summary.differences.filter((d) => d.variant === variant);
    if (diffs.length === 0) return;
    const mid = diffs.map((d) => 100 * d.meanDifference);
    const hi = diffs.map((d, i) => (d.ci95 ? 100 * d.ci95[1] - mid[i] : 0));
    const lo = diffs.map((d, i) => (d.ci95 ? mid[i] - 100 * d.ci95[0] : 0));
    mid.forEach((v, i) => diffValues.push(v - lo[i], v + hi[i]));
    data.push({
      type: 'scatter', mode: 'markers', name: VARIANT_LABELS[variant] ?? variant, legendgroup: variant, showlegend: false, xaxis: 'x2', yaxis: 'y2',
      x: diffs.map((d) => at(d.model, k)), y: mid,
      error_y: { type: 'data', symmetric: false, array: hi, arrayminus: lo, visible: true, color, thickness: 1.5, width: 4 },
      marker: { color, size: 9, symbol: variant === 'none' ? 'diamond' : 'circle' },
      customdata: diffs.map((d) => [d.model, d.differences.map((x) => (100 * x).toFixed(2)).join(', ')]),
      hovertemplate: '%{customdata[0]}: %{y:+.2f} points (per seed: %{customdata[1]})<extra>' + variant + ' − quantum</extra>',
    });
  });
  const seeds = summary.settings.seeds.length;
  const s = summary.settings;
  const ticks = { tickmode: 'array', tickvals: models.map((_, i) => i), ticktext: models.map((m) => m.replace(/-(learned)$/, '<br>($1)')), tickangle: 0, range: [-0.5, models.length - 0.5] };
  return {
    data,
    layout: {
      title: titleLayout(options.title ?? `Pooling study: 2×2 pooling of trained models' pre-pool maps, linear probe (official MNIST: train ${s.trainSize}, validation ${s.validationSize}, test ${s.testSize}; ${seeds} seeds)`),
      ...baseLayout(), width: 1300, height: 640, margin: { t: 90, b: 160, l: 70, r: 30 },
      xaxis: gridAxis({ domain: [0, 0.46], ...ticks }),
      yaxis: gridAxis({ title: { text: 'linear-probe test accuracy % (mean ± sd over seeds)' }, range: rangeAround(accValues) }),
      xaxis2: gridAxis({ domain: [0.56, 1], anchor: 'y2', ...ticks }),
      yaxis2: gridAxis({ anchor: 'x2', title: { text: 'difference from quantum pooling, points (95 % CI)' }, range: rangeAround(diffValues) }),
      shapes: [{ type: 'line', xref: 'x2 domain', yref: 'y2', x0: 0, x1: 1, y0: 0, y1: 0, line: { dash: 'dot', color: COLORS.reference } }],
      annotations: [{
        xref: 'x2 domain', yref: 'y2', x: 1, y: 0, text: 'quantum pooling (fitted)', showarrow: false, xanchor: 'right', yanchor: 'bottom',
        font: { size: FONT_SIZES.small, color: COLORS.note },
      }],
      legend: { orientation: 'h', x: 0.5, y: -0.1, xanchor: 'center', yanchor: 'top' },
    },
    config: { responsive: true, displaylogo: false },
  };
}
