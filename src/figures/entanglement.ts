/**
 * Figure builders for the entanglement analyses (plotly specs, src/viz `Figure`): entanglement heatmaps
 * over digits, per-class distributions (several conditions side by side, e.g. before vs after
 * training), purity against entropy, and purity/entropy over training. They read only the plain result
 * objects, so they work the same on fresh results and on results loaded from JSON files.
 */
import { type Figure, type Trace, COLOR_SCALES, COLORS, FONT_SIZES, SERIES_COLORS, baseLayout, gridAxis, titleLayout } from '../viz';
import { type EntanglementMap, type PurityTrajectory, renyi2Bound } from '../analysis';

/** Per-patch values of a map as rows [h][w] (channels averaged for QuantumPooling grids [h, w, c]). */
function toGrid(values: readonly number[], cells: readonly number[]): number[][] {
  const [h, w] = cells;
  const c = cells.length > 2 ? cells[2] : 1;
  return Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) => {
    let s = 0;
    for (let k = 0; k < c; k++) s += values[(i * w + j) * c + k];
    return s / c;
  }));
}

/** Which per-patch quantity a heatmap shows. */
export type MapQuantity = 'entropy' | 'prePoolEntropy' | 'purity';

const QUANTITY_TITLE: Record<MapQuantity, (unit: string) => string> = {
  entropy: (u) => `S(kept) after pooling [${u}]`,
  prePoolEntropy: (u) => `S(kept) before pooling [${u}]`,
  purity: () => 'purity tr ρ²',
};

/**
 * Heatmaps of the per-patch entanglement of example images, drawn over the digits (patch grid scaled to
 * the image frame, exact for non-overlapping windows that tile the image as in the hybrid models).
 */
export function entanglementHeatmapFigure(map: EntanglementMap, options: { quantity?: MapQuantity; maxExamples?: number; columns?: number; title?: string } = {}): Figure {
  const quantity = options.quantity ?? 'entropy';
  const examples = map.examples.filter((e) => e.pixels.length > 0).slice(0, options.maxExamples ?? 10);
  if (examples.length === 0) throw new Error('entanglementHeatmapFigure(map): the map holds no example images (pass options.examples to entanglementMap)');
  const cols = Math.min(options.columns ?? 5, examples.length);
  const rows = Math.ceil(examples.length / cols);
  const [H, W] = map.imageShape;
  const [h, w] = map.cells;
  const gap = 0.03;
  const data: Trace[] = [];
  const layout: Record<string, unknown> = {
    title: titleLayout(options.title ?? `Entanglement at pooling (${map.pool.block ?? 'in-circuit'} pool, kept qubits ${map.pool.kept.join(',')})`),
    ...baseLayout(), width: 180 * cols + 140, height: 190 * rows + 90, margin: { l: 20, r: 110, t: 70, b: 20 }, annotations: [],
  };
  const zmax = quantity === 'purity' ? 1 : map.maxEntropy;
  const zmin = quantity === 'purity' ? 1 / 2 ** map.pool.kept.length : 0;
  examples.forEach((e, k) => {
    const r = Math.floor(k / cols), c = k % cols;
    const ax = k === 0 ? '' : String(k + 1);
    const x0 = c / cols + gap / 2, x1 = (c + 1) / cols - gap / 2;
    const y1 = 1 - r / rows - gap, y0 = 1 - (r + 1) / rows + gap / 2;
    const pixels = Array.from({ length: H }, (_, i) => e.pixels.slice(i * W, (i + 1) * W));
    data.push({ type: 'heatmap', z: pixels, colorscale: COLOR_SCALES.image, reversescale: true, showscale: false, hoverinfo: 'skip', xaxis: `x${ax}`, yaxis: `y${ax}` });
    data.push({
      type: 'heatmap', z: toGrid(e[quantity], map.cells), x0: (W / w - 1) / 2, dx: W / w, y0: (H / h - 1) / 2, dy: H / h,
      colorscale: COLOR_SCALES.sequential, opacity: 0.6, zmin, zmax, showscale: k === 0, xaxis: `x${ax}`, yaxis: `y${ax}`,
      colorbar: { title: { text: QUANTITY_TITLE[quantity](map.unit), side: 'right' }, len: 0.9 },
      hovertemplate: `${quantity} %{z:.3f}<extra></extra>`,
    });
    layout[`xaxis${ax}`] = { domain: [x0, x1], showticklabels: false, ticks: '', showgrid: false, zeroline: false, range: [-0.5, W - 0.5] };
    layout[`yaxis${ax}`] = { domain: [y0, y1], showticklabels: false, ticks: '', showgrid: false, zeroline: false, range: [H - 0.5, -0.5], scaleanchor: `x${ax}` };
    (layout.annotations as unknown[]).push({
      text: e.label === null ? `image ${e.index}` : `digit ${e.label} (#${e.index})`, xref: 'paper', yref: 'paper',
      x: (x0 + x1) / 2, y: y1 + 0.01, xanchor: 'center', yanchor: 'bottom', showarrow: false, font: { size: FONT_SIZES.legend },
    });
  });
  return { data, layout, config: { responsive: true, displaylogo: false } };
}

/** Which per-image statistic a class figure shows. */
export type ClassQuantity = 'entropy' | 'prePoolEntropy' | 'purity';

/**
 * Distributions per digit class of each image's mean over its non-blank patches, one box group per
 * condition (e.g. [{ name: 'before training', map }, { name: 'after training', map }]).
 */
export function entanglementByClassFigure(conditions: ReadonlyArray<{ name: string; map: EntanglementMap }>, options: { quantity?: ClassQuantity; title?: string } = {}): Figure {
  if (!Array.isArray(conditions) || conditions.length === 0) throw new Error('entanglementByClassFigure(conditions): expected a non-empty array of { name, map }');
  const quantity = options.quantity ?? 'entropy';
  const key = { entropy: 'inkEntropy', prePoolEntropy: 'inkPrePoolEntropy', purity: 'inkPurity' } as const;
  const data: Trace[] = conditions.map(({ name, map }, i) => {
    if (!map.labels) throw new Error(`entanglementByClassFigure: condition '${name}' has no labels (give labels to entanglementMap)`);
    const values: (number | null)[] = map.perImage[key[quantity]];
    const keep = values.map((v, j) => (v === null ? -1 : j)).filter((j) => j >= 0);
    return {
      type: 'box', name, x: keep.map((j) => String(map.labels![j])), y: keep.map((j) => values[j]),
      marker: { color: SERIES_COLORS[i % SERIES_COLORS.length], size: 3 }, boxpoints: false,
    };
  });
  const unit = conditions[0].map.unit;
  const ytitle = quantity === 'purity' ? 'mean purity tr ρ² of non-blank patches' : `mean ${quantity === 'entropy' ? 'S(kept) after pooling' : 'S(kept) before pooling'} [${unit}]`;
  return {
    data,
    layout: {
      title: titleLayout(options.title ?? 'Entanglement between kept and dropped qubits, per digit class'), ...baseLayout(), boxmode: 'group',
      xaxis: gridAxis({ title: { text: 'digit class' }, type: 'category', categoryorder: 'category ascending' }),
      yaxis: gridAxis({ title: { text: ytitle } }), width: 900, height: 500, margin: { b: 120 }, legend: { orientation: 'h', y: -0.25 },
    },
    config: { responsive: true, displaylogo: false },
  };
}

/** Purity against entropy of pooled states for the first and last snapshot, with the bounds S ≥ −log P and S ≤ log d. */
export function purityEntropyFigure(trajectory: PurityTrajectory, options: { snapshots?: number[]; title?: string } = {}): Figure {
  const n = trajectory.snapshots.length;
  const picks = options.snapshots ?? (n > 1 ? [0, n - 1] : [0]);
  const data: Trace[] = picks.map((i, k) => {
    const s = trajectory.snapshots[i];
    if (!s) throw new Error(`purityEntropyFigure(options.snapshots): no snapshot ${i} (have ${n})`);
    return {
      type: 'scatter', mode: 'markers', name: s.label, x: s.sample.purity, y: s.sample.entropy,
      marker: { size: 4, opacity: 0.45, color: SERIES_COLORS[k % SERIES_COLORS.length] },
    };
  });
  const d = trajectory.dimension;
  const base = trajectory.unit === 'bits' ? 2 : trajectory.unit === 'nats' ? Math.E : Number(trajectory.unit.replace('log base ', ''));
  const ps = Array.from({ length: 101 }, (_, i) => 1 / d + (i / 100) * (1 - 1 / d));
  data.push({ type: 'scatter', mode: 'lines', name: 'S₂ = −log tr ρ² (lower bound)', x: ps, y: renyi2Bound(ps, base), line: { color: COLORS.referenceDark, dash: 'dash' } });
  data.push({ type: 'scatter', mode: 'lines', name: 'log d (maximally mixed)', x: [1 / d, 1], y: [trajectory.maxEntropy, trajectory.maxEntropy], line: { color: COLORS.reference, dash: 'dot' } });
  return {
    data,
    layout: {
      title: titleLayout(options.title ?? `Purity vs entanglement of pooled states (${trajectory.kept.length} kept qubit${trajectory.kept.length > 1 ? 's' : ''})`),
      ...baseLayout(), xaxis: gridAxis({ title: { text: 'purity tr ρ²' }, range: [1 / d - 0.02, 1.02] }),
      yaxis: gridAxis({ title: { text: `entropy S(ρ) [${trajectory.unit}]` }, rangemode: 'tozero' }), width: 760, height: 520, legend: { orientation: 'h', y: -0.2 },
    },
    config: { responsive: true, displaylogo: false },
  };
}

/** Mean purity (left axis) and mean entropy before/after pooling (right axis) of non-blank patches per snapshot, ± sd. */
export function purityTrajectoryFigure(trajectory: PurityTrajectory, options: { title?: string } = {}): Figure {
  const xs = trajectory.snapshots.map((s, i) => s.epoch ?? i);
  const line = (name: string, vals: Array<{ mean: number | null; sd: number | null }>, color: string, axis: 'y' | 'y2', dash = 'solid'): Trace => ({
    type: 'scatter', mode: 'lines+markers', name, x: xs, y: vals.map((v) => v.mean), yaxis: axis,
    error_y: { type: 'data', array: vals.map((v) => v.sd ?? 0), visible: true, thickness: 1 }, line: { color, dash },
  });
  return {
    data: [
      line('purity', trajectory.snapshots.map((s) => s.purity), SERIES_COLORS[0], 'y'),
      line('S(kept) after pooling', trajectory.snapshots.map((s) => s.entropy), SERIES_COLORS[1], 'y2'),
      line('S(kept) before pooling', trajectory.snapshots.map((s) => s.prePoolEntropy), SERIES_COLORS[2], 'y2', 'dash'),
    ],
    layout: {
      title: titleLayout(options.title ?? 'Pooled-state purity and entanglement during training (non-blank patches, mean ± sd)'), ...baseLayout(),
      xaxis: gridAxis({ title: { text: 'epoch' }, dtick: 1 }), yaxis: gridAxis({ title: { text: 'purity tr ρ²' } }),
      yaxis2: gridAxis({ title: { text: `entropy [${trajectory.unit}]` }, overlaying: 'y', side: 'right', rangemode: 'tozero', showgrid: false }),
      width: 820, height: 480, legend: { orientation: 'h', y: -0.2 },
    },
    config: { responsive: true, displaylogo: false },
  };
}
