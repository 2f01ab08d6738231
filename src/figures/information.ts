/** Figure builders for the pooling-information and measurement-statistics analyses (plotly specs, src/viz `Figure`). */
import { type Figure, type Trace, COLORS, FONT_SIZES, baseLayout, gridAxis, titleLayout } from '../viz';
import type { PoolingInformation, ShotStatistics } from '../analysis';

const KIND_COLOR: Record<string, string> = { kernel: COLORS.grey, classical: COLORS.orange, quantum: COLORS.blue };

/**
 * Linear-probe test accuracy (left) and mutual-information lower bounds (right) of every pooled feature
 * set; tick labels carry the feature dimension per image. Bars are coloured by kind (kernel / classical / quantum).
 */
export function poolingInformationFigure(info: PoolingInformation, options: { title?: string } = {}): Figure {
  if (!info || !Array.isArray(info.rows) || info.rows.length === 0) throw new Error('poolingInformationFigure(info): expected a poolingInformation result with rows');
  const labels = info.rows.map((r) => `${r.variant} (${r.featureDim})`);
  const colors = info.rows.map((r) => KIND_COLOR[r.kind] ?? COLORS.grey);
  const data: Trace[] = [
    {
      type: 'bar', name: 'test accuracy', x: labels, y: info.rows.map((r) => r.testAccuracy), marker: { color: colors },
      text: info.rows.map((r) => r.testAccuracy.toFixed(3)), textposition: 'outside', cliponaxis: false, showlegend: false,
      hovertemplate: '%{x}: %{y:.3f}<extra></extra>',
    },
    {
      type: 'bar', name: 'H(Y) − CE (probe bound)', x: labels, y: info.rows.map((r) => r.miProbeBoundBits), xaxis: 'x2', yaxis: 'y2',
      marker: { color: colors }, hovertemplate: '%{x}: %{y:.3f} bits<extra>probe bound</extra>',
    },
    {
      type: 'scatter', mode: 'markers', name: 'I(prediction; label)', x: labels, y: info.rows.map((r) => r.miPredictionBits), xaxis: 'x2', yaxis: 'y2',
      marker: { color: 'black', symbol: 'diamond', size: 8 },
    },
    {
      type: 'scatter', mode: 'markers', name: 'max per-feature I (binned)', x: labels, y: info.rows.map((r) => r.miFeatureMaxBits), xaxis: 'x2', yaxis: 'y2',
      marker: { color: COLORS.vermillion, symbol: 'x', size: 8 },
    },
  ];
  const chance = 1 / info.numClasses;
  return {
    data,
    layout: {
      title: titleLayout(options.title ?? `Information kept by pooling ${info.nQubits} → ${info.kept.length} qubits (train ${info.trainSize}, test ${info.testSize}; feature dimension per image in parentheses)`),
      ...baseLayout(), width: 1300, height: 640, margin: { b: 200, t: 90, l: 70, r: 30 },
      xaxis: { domain: [0, 0.46], tickangle: -55, automargin: true },
      yaxis: gridAxis({ title: { text: 'linear-probe test accuracy (dotted: chance)' }, range: [0, 1.08] }),
      xaxis2: { domain: [0.56, 1], anchor: 'y2', tickangle: -55, automargin: true },
      yaxis2: gridAxis({ anchor: 'x2', title: { text: 'bits' }, range: [0, info.labelEntropyBits * 1.05] }),
      shapes: [
        { type: 'line', xref: 'x domain', yref: 'y', x0: 0, x1: 1, y0: chance, y1: chance, line: { dash: 'dot', color: COLORS.reference } },
        { type: 'line', xref: 'x2 domain', yref: 'y2', x0: 0, x1: 1, y0: info.labelEntropyBits, y1: info.labelEntropyBits, line: { dash: 'dot', color: COLORS.reference } },
      ],
      annotations: [
        { xref: 'x2 domain', yref: 'y2', x: 1, y: info.labelEntropyBits, text: 'H(label)', showarrow: false, xanchor: 'right', yanchor: 'top', font: { size: FONT_SIZES.small, color: COLORS.note } },
      ],
      legend: { orientation: 'h', x: 0.55, y: 1.02, xanchor: 'left', yanchor: 'bottom' },
    },
    config: { responsive: true, displaylogo: false },
  };
}

/** RMSE of finite-shot estimates against the exact pooled outputs vs shots (log–log), with the predicted error and 1/√shots. */
export function shotErrorFigure(stats: ShotStatistics, options: { title?: string } = {}): Figure {
  if (!stats || !Array.isArray(stats.rows) || stats.rows.length === 0) throw new Error('shotErrorFigure(stats): expected a shotStatistics result with rows');
  const x = stats.rows.map((r) => r.shots);
  const data: Trace[] = [
    { type: 'scatter', mode: 'lines+markers', name: 'RMSE (measured)', x, y: stats.rows.map((r) => r.rmse), line: { color: COLORS.blue } },
    { type: 'scatter', mode: 'lines+markers', name: 'mean |error|', x, y: stats.rows.map((r) => r.meanAbsError), line: { color: COLORS.green }, marker: { symbol: 'square' } },
    { type: 'scatter', mode: 'lines', name: '1/√shots', x, y: stats.rows.map((r) => r.reference), line: { color: COLORS.reference, dash: 'dot' } },
  ];
  if (stats.rows.every((r) => r.predictedRmse !== null)) {
    data.splice(1, 0, { type: 'scatter', mode: 'lines', name: '√(mean(1 − ⟨O⟩²)/shots)', x, y: stats.rows.map((r) => r.predictedRmse), line: { color: COLORS.vermillion, dash: 'dash' } });
  }
  return {
    data,
    layout: {
      title: titleLayout(options.title ?? `Finite-shot error of pooled outputs (${stats.patches} patches, ${stats.observables.join(', ')})`),
      ...baseLayout(), width: 760, height: 500,
      xaxis: gridAxis({ type: 'log', dtick: 1, title: { text: 'shots per circuit' } }), yaxis: gridAxis({ type: 'log', dtick: 1, title: { text: 'error vs exact expectation' } }),
      legend: { x: 0.98, y: 0.98, xanchor: 'right' },
    },
    config: { responsive: true, displaylogo: false },
  };
}
