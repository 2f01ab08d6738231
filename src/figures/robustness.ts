/** Figures of the shots and noise studies (plain plotly specs from their results). */
import { type Figure, type Trace, COLORS, baseLayout, panelTitle, subplotAxes, subplotGrid, titleLayout } from '../viz';
import type { NoiseStudy, ShotsStudy } from '../studies';

const { blue: BLUE, orange: ORANGE, grey: GREY } = COLORS;

/**
 * Two panels: test accuracy against shots per circuit (exact accuracy as a dashed line), and the
 * gradient's relative error against shots on log–log axes beside a c/√N line (shot noise alone would follow it).
 */
export function shotsFigure(study: ShotsStudy, opts: { title?: string } = {}): Figure {
  if (!study || !Array.isArray(study.rows) || study.rows.length === 0) throw new Error('shotsFigure(study): expected a shots study with at least one row');
  const rows = [...study.rows].sort((a, b) => a.shots - b.shots);
  const shots = rows.map((r) => r.shots);
  const [left, right] = subplotGrid(1, 2, { xGap: 0.12 });
  // The reference slope −1/2 on log–log axes, its height fitted to all points (least squares in log space).
  const c = Math.exp(rows.reduce((a, r) => a + Math.log(r.gradRelError) + 0.5 * Math.log(r.shots), 0) / rows.length);
  const data: Trace[] = [
    { type: 'scatter', mode: 'lines+markers', name: 'finite shots', x: shots, y: rows.map((r) => 100 * r.accuracy), xaxis: left.xaxis, yaxis: left.yaxis, line: { color: BLUE, width: 2 }, marker: { size: 8 } },
    { type: 'scatter', mode: 'lines', name: 'exact expectations', x: [shots[0], shots[shots.length - 1]], y: [100 * study.exact.accuracy, 100 * study.exact.accuracy], xaxis: left.xaxis, yaxis: left.yaxis, line: { color: GREY, dash: 'dash', width: 2 } },
    {
      type: 'scatter', mode: 'lines+markers', name: `gradient error (mean ± std, ${study.repeats} estimates)`, x: shots, y: rows.map((r) => r.gradRelError),
      error_y: { type: 'data', array: rows.map((r) => r.gradRelErrorStd), visible: study.repeats > 1, thickness: 1.2, width: 4 },
      xaxis: right.xaxis, yaxis: right.yaxis, line: { color: ORANGE, width: 2 }, marker: { size: 8 },
    },
    { type: 'scatter', mode: 'lines', name: 'c/√shots (least-squares c)', x: shots, y: shots.map((n) => c / Math.sqrt(n)), xaxis: right.xaxis, yaxis: right.yaxis, line: { color: GREY, dash: 'dot', width: 2 } },
  ];
  return {
    data,
    layout: {
      title: titleLayout(opts.title ?? `Finite shots: ${study.model} (accuracy on ${study.testSize} test images; gradient over ${study.gradientBatch} images)`),
      ...baseLayout(),
      ...subplotAxes([left, right], () => ({ type: 'log', dtick: 1, title: { text: 'shots per circuit execution (log scale)' }, gridcolor: COLORS.grid }),
        (cell) => (cell === left
          ? { title: { text: 'test accuracy (%)' }, gridcolor: COLORS.grid }
          : { type: 'log', title: { text: '‖g_shots − g_exact‖ / ‖g_exact‖ (log scale)' }, gridcolor: COLORS.grid })),
      annotations: [panelTitle(left, 'Accuracy with estimated expectations'), panelTitle(right, 'Parameter-shift gradient vs the exact one')],
      legend: { orientation: 'h', x: 0.5, xanchor: 'center', y: -0.24, yanchor: 'top' },
      width: 1100, height: 520, margin: { l: 70, r: 30, t: 90, b: 130 },
    },
  };
}

/**
 * Two panels against the noise level: test accuracy (noiseless as a dashed line), and the noisy gradient
 * compared with the noiseless one (norm ratio and cosine similarity; 1 = unchanged).
 */
export function noiseFigure(study: NoiseStudy, opts: { title?: string } = {}): Figure {
  if (!study || !Array.isArray(study.rows) || study.rows.length === 0) throw new Error('noiseFigure(study): expected a noise study with at least one row');
  const rows = [...study.rows].sort((a, b) => a.p - b.p);
  const p = rows.map((r) => r.p);
  // Levels spanning decades read better on a log axis (possible only without p = 0).
  const logX = p[0] > 0 && p[p.length - 1] / p[0] > 20;
  const [left, right] = subplotGrid(1, 2, { xGap: 0.12 });
  const data: Trace[] = [
    { type: 'scatter', mode: 'lines+markers', name: `${study.channel} noise`, x: p, y: rows.map((r) => 100 * r.accuracy), xaxis: left.xaxis, yaxis: left.yaxis, line: { color: BLUE, width: 2 }, marker: { size: 8 } },
    { type: 'scatter', mode: 'lines', name: 'noiseless', x: [p[0], p[p.length - 1]], y: [100 * study.exact.accuracy, 100 * study.exact.accuracy], xaxis: left.xaxis, yaxis: left.yaxis, line: { color: GREY, dash: 'dash', width: 2 } },
    { type: 'scatter', mode: 'lines+markers', name: '‖g_noisy‖ / ‖g_noiseless‖', x: p, y: rows.map((r) => r.gradNormRatio), xaxis: right.xaxis, yaxis: right.yaxis, line: { color: ORANGE, width: 2 }, marker: { size: 8 } },
    { type: 'scatter', mode: 'lines+markers', name: 'cosine(g_noisy, g_noiseless)', x: p, y: rows.map((r) => r.gradCosine), xaxis: right.xaxis, yaxis: right.yaxis, line: { color: COLORS.green, width: 2, dash: 'dash' }, marker: { size: 8, symbol: 'square' } },
  ];
  return {
    data,
    layout: {
      title: titleLayout(opts.title ?? `Device noise: ${study.model} (${study.channel} channel after every gate; ${study.testSize} test images)`),
      ...baseLayout(),
      ...subplotAxes([left, right], () => ({
        ...(logX ? { type: 'log', dtick: 'D2' } : {}), title: { text: `${study.channel} error probability per gate and qubit${logX ? ' (log scale)' : ''}` },
        gridcolor: COLORS.grid, zeroline: false,
      }),
        (cell) => (cell === left
          ? { title: { text: 'test accuracy (%)' }, gridcolor: COLORS.grid }
          : { title: { text: 'noisy vs noiseless gradient' }, gridcolor: COLORS.grid, rangemode: 'tozero' })),
      annotations: [panelTitle(left, 'Accuracy of the noiselessly trained model'), panelTitle(right, 'Gradient w.r.t. the quantum angles')],
      legend: { orientation: 'h', x: 0.5, xanchor: 'center', y: -0.24, yanchor: 'top' },
      width: 1100, height: 520, margin: { l: 70, r: 30, t: 90, b: 130 },
    },
  };
}
