/**
 * Figures of the training results (plain plotly specs from saved RunResults / summary rows; nothing is
 * trained here): learning curves of each hybrid beside its classical controls, the results table,
 * accuracy against parameter count, and confusion matrices. Mean ± standard deviation over seeds
 * wherever a model ran with several seeds.
 */
import { stat, type RunResult, type SummaryRow } from '../experiments';
import {
  type Figure, type SubplotCell, type Trace, COLORS, COLOR_SCALES, FONT, FONT_SIZES, baseLayout, gridAxis, panelTitle, subplotAxes, subplotGrid, titleLayout,
} from '../viz';
import { runsByModel } from './results-files';

/** How a model relates to the hybrid it is compared with; sets its colour in every figure. */
export type ModelRole = 'hybrid' | 'same-shape control' | 'parameter-matched CNN' | 'other classical';

/** Colours per role (colour-blind-safe Okabe–Ito hues). */
export const ROLE_COLORS: Readonly<Record<ModelRole, string>> = Object.freeze({
  hybrid: COLORS.blue,
  'same-shape control': COLORS.orange,
  'parameter-matched CNN': COLORS.green,
  'other classical': COLORS.grey,
});

/** The role of `model` among the rows (hybrid, a hybrid's same-shape control or parameter-matched CNN, or other). */
export function modelRole(model: string, rows: readonly Pick<SummaryRow, 'model' | 'family' | 'controls'>[]): ModelRole {
  const row = rows.find((r) => r.model === model);
  if (row?.family === 'hybrid') return 'hybrid';
  if (rows.some((r) => r.controls?.sameShape === model)) return 'same-shape control';
  if (rows.some((r) => r.controls?.paramMatched === model)) return 'parameter-matched CNN';
  return 'other classical';
}

/** Per-epoch mean and std over seeds of one history field (epochs present in every run). */
export function historyCurve(runs: readonly RunResult[], field: 'val_accuracy' | 'loss' | 'accuracy' | 'val_loss'): { epoch: number[]; mean: number[]; std: number[] } {
  const epochs = Math.min(...runs.map((r) => r.history.length));
  const out = { epoch: [] as number[], mean: [] as number[], std: [] as number[] };
  for (let e = 0; e < epochs; e++) {
    const vals = runs.map((r) => r.history[e][field]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (vals.length === 0) continue;
    const s = stat(vals);
    out.epoch.push(runs[0].history[e].epoch);
    out.mean.push(s.mean);
    out.std.push(s.std);
  }
  return out;
}

function checkRuns(runs: readonly RunResult[], fn: string): void {
  if (!Array.isArray(runs) || runs.length === 0) throw new Error(`${fn}(runs): expected at least one RunResult, got none`);
  const datasets = new Set(runs.map((r) => r.dataset.name));
  if (datasets.size > 1) throw new Error(`${fn}(runs): expected runs of one dataset, got ${[...datasets].join(', ')} (filter by r.dataset.name)`);
}

function countsNote(runs: readonly RunResult[]): string {
  const seeds = new Set(runs.map((r) => r.training.seed)).size;
  return seeds > 1 ? `; counts summed over ${seeds} seeds` : '';
}

function seedsNote(runs: readonly RunResult[]): string {
  const seeds = new Set(runs.map((r) => r.training.seed)).size;
  return seeds > 1 ? `mean ± std over ${seeds} seeds` : 'one seed';
}

/** What the per-epoch `val_*` curves of these runs are: the validation split, or (old files) the test split. */
export function epochAccuracyLabel(runs: readonly RunResult[]): string {
  if (runs.every((r) => r.dataset.validation)) return 'validation accuracy (%)';
  return runs.every((r) => !r.dataset.validation) ? 'test accuracy (%)' : 'validation / test accuracy (%)';
}

/**
 * The layout of a 2-row grid of per-epoch curves (validation accuracy on top, or test accuracy for old
 * files: `accuracyLabel`; training loss below), one column per model: shared by the learning-curve figures.
 */
export function curvesGridLayout(
  cells: readonly SubplotCell[], columns: number, maxEpoch: number, title: string, annotations: Record<string, unknown>[], accuracyLabel = 'test accuracy (%)',
): Record<string, unknown> {
  return {
    ...baseLayout(),
    title: titleLayout(title),
    ...subplotAxes(cells, (cell) => gridAxis({
      title: cell.row === 1 ? { text: 'epoch' } : undefined, dtick: maxEpoch <= 10 ? 1 : undefined, range: [0.7, maxEpoch + 0.3], showgrid: true,
    }), (cell) => gridAxis({
      title: cell.col === 0 ? { text: cell.row === 0 ? accuracyLabel : 'training loss' } : undefined, showgrid: true,
    })),
    annotations,
    legend: { orientation: 'h', x: 0.5, xanchor: 'center', y: -0.17, yanchor: 'top' },
    width: Math.max(700, 300 * columns + 120),
    height: 640,
    margin: { l: 70, r: 30, t: 120, b: 120 },
  };
}

/** Options of {@link learningCurvesFigure}. */
export interface LearningCurvesOptions {
  /** Hybrids to show (default: every hybrid in `runs`). */
  hybrids?: string[];
  title?: string;
}

/**
 * Learning curves, one column per hybrid: test accuracy (top) and training loss (bottom) per epoch for
 * the hybrid, its same-shape classical control and its parameter-matched CNN.
 */
export function learningCurvesFigure(runs: readonly RunResult[], opts: LearningCurvesOptions = {}): Figure {
  checkRuns(runs, 'learningCurvesFigure');
  const byModel = runsByModel(runs);
  const hybrids = opts.hybrids ?? [...byModel.values()].filter((r) => r[0].model.family === 'hybrid').map((r) => r[0].model.name);
  if (hybrids.length === 0) throw new Error('learningCurvesFigure(runs): no hybrid model among the runs');
  for (const h of hybrids) if (!byModel.has(h)) throw new Error(`learningCurvesFigure(hybrids): no runs of '${h}' (have: ${[...byModel.keys()].join(', ')})`);
  const cells = subplotGrid(2, hybrids.length, { xGap: 0.05, yGap: 0.16 });
  const data: Trace[] = [];
  const annotations: Record<string, unknown>[] = [];
  const shown = new Set<ModelRole>();
  hybrids.forEach((h, col) => {
    const hr = byModel.get(h)!;
    const controls = hr[0].model.controls;
    const members: Array<[string, ModelRole]> = [[h, 'hybrid']];
    if (controls) members.push([controls.sameShape, 'same-shape control'], [controls.paramMatched, 'parameter-matched CNN']);
    const top = cells[col];
    const bottom = cells[hybrids.length + col];
    annotations.push(panelTitle(top, `<b>${h}</b>`, 14));
    for (const [model, role] of members) {
      const mr = byModel.get(model);
      if (!mr) continue;
      for (const [cell, field, scale] of [[top, 'val_accuracy', 100], [bottom, 'loss', 1]] as const) {
        const c = historyCurve(mr, field);
        data.push({
          type: 'scatter', mode: 'lines+markers', x: c.epoch, y: c.mean.map((v) => v * scale),
          error_y: { type: 'data', array: c.std.map((v) => v * scale), visible: mr.length > 1, thickness: 1.2, width: 4 },
          name: role === 'hybrid' ? 'hybrid (quantum layer)' : role, legendgroup: role,
          showlegend: !shown.has(role) && cell === top,
          line: { color: ROLE_COLORS[role], width: 2 }, marker: { color: ROLE_COLORS[role], size: 7 },
          xaxis: cell.xaxis, yaxis: cell.yaxis,
          hovertemplate: `${model}<br>epoch %{x}: %{y:.3f}<extra></extra>`,
        });
        if (cell === top) shown.add(role);
      }
    }
    if (controls) {
      // Name the controls under the panel title: the colours mean different models in each column.
      annotations.push({
        text: `vs ${controls.sameShape} · ${controls.paramMatched}`, showarrow: false, xref: 'paper', yref: 'paper',
        x: (top.xDomain[0] + top.xDomain[1]) / 2, y: top.yDomain[1], xanchor: 'center', yanchor: 'bottom', yshift: 22,
        font: { size: FONT_SIZES.small, color: COLORS.note },
      });
    }
  });
  const maxEpoch = Math.max(...runs.map((r) => r.history.length));
  const ds = runs[0].dataset;
  const title = opts.title ?? `Learning curves: hybrids vs classical controls (${ds.name}, ${ds.trainSize} train / ${ds.testSize} test, ${seedsNote(runs)})`;
  const layout = curvesGridLayout(cells, hybrids.length, maxEpoch, title, annotations, epochAccuracyLabel(runs));
  return { data, layout };
}

/** Accuracy as "mean ± std" in percent. */
function accText(r: SummaryRow): string {
  const m = (100 * r.testAccuracy.mean).toFixed(1);
  return r.seeds.length > 1 ? `${m} ± ${(100 * r.testAccuracy.std).toFixed(1)}` : m;
}

function compact(n: number): string {
  if (n === 0) return '0';
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)} M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)} k`;
  return String(Math.round(n));
}

/** The results table (one row per model on one dataset) as a plotly table figure. */
export function resultsTableFigure(rows: readonly SummaryRow[], opts: { title?: string } = {}): Figure {
  if (!Array.isArray(rows) || rows.length === 0) throw new Error('resultsTableFigure(rows): expected at least one summary row, got none');
  const datasets = new Set(rows.map((r) => r.dataset));
  if (datasets.size > 1) throw new Error(`resultsTableFigure(rows): expected rows of one dataset, got ${[...datasets].join(', ')}`);
  const header = ['model', 'compared with', 'test accuracy (%)', 'params quantum', 'params classical', 'params total',
    's / epoch', 'circuit runs / epoch', 'seeds'];
  const cols: (string | number)[][] = [
    rows.map((r) => r.model),
    rows.map((r) => (r.controls ? `${r.controls.sameShape}, ${r.controls.paramMatched}` : '')),
    rows.map(accText),
    rows.map((r) => r.parameters.quantum),
    rows.map((r) => r.parameters.classical),
    rows.map((r) => r.parameters.total),
    rows.map((r) => r.epochTimeS.mean.toFixed(1)),
    rows.map((r) => compact(r.circuitExecutionsPerEpoch)),
    rows.map((r) => r.seeds.length),
  ];
  const fill = rows.map((r) => (r.family === 'hybrid' ? COLORS.tableHighlight : 'white'));
  const r0 = rows[0];
  const rowHeight = 28;
  return {
    data: [{
      type: 'table', columnwidth: [120, 190, 120, 70, 80, 70, 60, 95, 45],
      header: { values: header.map((h) => `<b>${h}</b>`), align: 'center', fill: { color: COLORS.tableHeader }, font: { size: FONT.size }, height: 36 },
      cells: { values: cols, align: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'center'],
        fill: { color: [fill] }, font: { size: FONT.size }, height: rowHeight },
    }],
    layout: {
      title: titleLayout(opts.title ?? `Results on ${r0.dataset} (${r0.trainSize} train / ${r0.testSize} test, ${r0.epochs} epoch(s), quantum gradients by ${r0.diffMethod})`),
      ...baseLayout(),
      width: 1050,
      height: 150 + rowHeight * rows.length,
      margin: { l: 20, r: 20, t: 60, b: 20 },
    },
  };
}

/** Marker symbols: a hybrid and its same-shape control share one, so pairs read at a glance. */
const PAIR_SYMBOLS = ['circle', 'square', 'diamond', 'triangle-up', 'pentagon', 'hexagon', 'star', 'cross'];
const OTHER_SYMBOLS = ['star', 'hexagram', 'x', 'triangle-down', 'star-square', 'hourglass'];

/** 1k / 2k / 5k … tick values covering [lo, hi]. */
function logTicks(lo: number, hi: number): { vals: number[]; text: string[] } {
  const vals: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo / 1.5 && v <= hi * 1.5) vals.push(v);
    }
  }
  return { vals, text: vals.map((v) => (v >= 1e6 ? `${v / 1e6}M` : v >= 1e3 ? `${v / 1e3}k` : String(v))) };
}

/**
 * Test accuracy against trainable parameters (log axis) for every model, with error bars over seeds.
 * Colour = role, marker = hybrid/control pair (a hybrid and its same-shape control share a symbol and
 * are joined by a dotted line); the legend names every model.
 */
export function accuracyVsParametersFigure(rows: readonly SummaryRow[], opts: { title?: string } = {}): Figure {
  if (!Array.isArray(rows) || rows.length === 0) throw new Error('accuracyVsParametersFigure(rows): expected at least one summary row, got none');
  const datasets = new Set(rows.map((r) => r.dataset));
  if (datasets.size > 1) throw new Error(`accuracyVsParametersFigure(rows): expected rows of one dataset, got ${[...datasets].join(', ')}`);
  const data: Trace[] = [];
  const symbol = new Map<string, string>();
  rows.filter((r) => r.family === 'hybrid').forEach((h, i) => {
    const s = PAIR_SYMBOLS[i % PAIR_SYMBOLS.length];
    symbol.set(h.model, s);
    if (h.controls && !symbol.has(h.controls.sameShape)) symbol.set(h.controls.sameShape, s);
    const c = h.controls ? rows.find((r) => r.model === h.controls!.sameShape) : undefined;
    if (c) {
      data.push({
        type: 'scatter', mode: 'lines', x: [h.parameters.total, c.parameters.total], y: [100 * h.testAccuracy.mean, 100 * c.testAccuracy.mean],
        line: { color: COLORS.reference, dash: 'dot', width: 1.5 }, hoverinfo: 'skip', showlegend: false,
      });
    }
  });
  let other = 0;
  const roles: ModelRole[] = ['hybrid', 'same-shape control', 'parameter-matched CNN', 'other classical'];
  for (const role of roles) {
    const members = rows.filter((r) => modelRole(r.model, rows) === role);
    members.forEach((r, i) => {
      const sym = symbol.get(r.model) ?? OTHER_SYMBOLS[other++ % OTHER_SYMBOLS.length];
      data.push({
        type: 'scatter', mode: 'markers', name: r.model, legendgroup: role,
        ...(i === 0 ? { legendgrouptitle: { text: role === 'hybrid' ? 'hybrid (quantum layer)' : role } } : {}),
        x: [r.parameters.total], y: [100 * r.testAccuracy.mean],
        error_y: { type: 'data', array: [100 * r.testAccuracy.std], visible: r.seeds.length > 1, thickness: 1.2, width: 4, color: ROLE_COLORS[role] },
        marker: { color: ROLE_COLORS[role], size: 12, symbol: sym, line: { color: 'white', width: 1 } },
        customdata: [[r.parameters.quantum, r.parameters.classical, accText(r)]],
        hovertemplate: `${r.model}<br>%{x} parameters (%{customdata[0]} quantum + %{customdata[1]} classical)<br>test accuracy %{customdata[2]} %<extra></extra>`,
      });
    });
  }
  const r0 = rows[0];
  const totals = rows.map((r) => r.parameters.total);
  const lo = Math.min(...totals), hi = Math.max(...totals);
  const ticks = logTicks(lo, hi);
  const accs = rows.flatMap((r) => [100 * (r.testAccuracy.mean - r.testAccuracy.std), 100 * (r.testAccuracy.mean + r.testAccuracy.std)]);
  const yPad = Math.max(2, (Math.max(...accs) - Math.min(...accs)) * 0.08);
  return {
    data,
    layout: {
      title: titleLayout(opts.title ?? `Test accuracy vs trainable parameters (${r0.dataset}, ${r0.trainSize} train / ${r0.testSize} test, ${r0.epochs} epoch(s))`),
      ...baseLayout(),
      xaxis: {
        type: 'log', title: { text: 'trainable parameters, quantum + classical (log scale)' }, range: [Math.log10(lo) - 0.15, Math.log10(hi) + 0.15],
        tickvals: ticks.vals, ticktext: ticks.text, gridcolor: COLORS.grid, zeroline: false,
      },
      yaxis: {
        title: { text: `test accuracy (%)${r0.seeds.length > 1 ? ', mean ± std over seeds' : ''}` },
        range: [Math.max(0, Math.min(...accs) - yPad), Math.min(100, Math.max(...accs) + yPad)], gridcolor: COLORS.grid, zeroline: false,
      },
      legend: { x: 1.02, xanchor: 'left', y: 1, yanchor: 'top', tracegroupgap: 8, font: { size: FONT_SIZES.legend } },
      width: 960,
      // Tall enough for the legend: one line per model plus a title per role group (the legend does not scroll in a PNG).
      height: Math.max(560, 170 + 24 * rows.length + 34 * new Set(rows.map((r) => modelRole(r.model, rows))).size),
      margin: { l: 80, r: 20, t: 70, b: 70 },
    },
  };
}

/** Summed confusion counts [true][predicted] of a model's runs. */
export function summedConfusion(runs: readonly RunResult[]): number[][] {
  const k = runs[0].final.confusion.length;
  const out = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const r of runs) {
    if (r.final.confusion.length !== k) throw new Error(`summedConfusion: run '${r.id}' has ${r.final.confusion.length} classes, expected ${k}`);
    r.final.confusion.forEach((row, i) => row.forEach((c, j) => { out[i][j] += c; }));
  }
  return out;
}

/** The hybrid with the best mean test accuracy and its two controls (those with runs). */
export function defaultConfusionModels(runs: readonly RunResult[]): string[] {
  const byModel = runsByModel(runs);
  let best: RunResult[] | null = null;
  let bestAcc = -1;
  for (const rs of byModel.values()) {
    if (rs[0].model.family !== 'hybrid') continue;
    const acc = stat(rs.map((r) => r.final.testAccuracy)).mean;
    if (acc > bestAcc) { bestAcc = acc; best = rs; }
  }
  if (!best) return [...byModel.keys()].slice(0, 1);
  const c = best[0].model.controls;
  return [best[0].model.name, ...(c ? [c.sameShape, c.paramMatched] : [])].filter((m) => byModel.has(m));
}

/**
 * Confusion matrices (row-normalised: each true class sums to 100%, counts summed over seeds), one panel
 * per model; default: the best hybrid beside its same-shape control and parameter-matched CNN.
 */
export function confusionMatrixFigure(runs: readonly RunResult[], opts: { models?: string[]; title?: string } = {}): Figure {
  checkRuns(runs, 'confusionMatrixFigure');
  const byModel = runsByModel(runs);
  const models = opts.models ?? defaultConfusionModels(runs);
  if (models.length === 0) throw new Error('confusionMatrixFigure(models): expected at least one model');
  for (const m of models) if (!byModel.has(m)) throw new Error(`confusionMatrixFigure(models): no runs of '${m}' (have: ${[...byModel.keys()].join(', ')})`);
  const cells = subplotGrid(1, models.length, { xGap: 0.07 });
  const data: Trace[] = [];
  const annotations: Record<string, unknown>[] = [];
  models.forEach((m, i) => {
    const rs = byModel.get(m)!;
    const counts = summedConfusion(rs);
    const pct = counts.map((row) => {
      const total = row.reduce((a, b) => a + b, 0);
      return row.map((c) => (total === 0 ? 0 : (100 * c) / total));
    });
    const labels = counts.map((_, k) => String(k));
    const cell = cells[i];
    data.push({
      type: 'heatmap', z: pct, x: labels, y: labels, zmin: 0, zmax: 100, colorscale: COLOR_SCALES.percent, showscale: i === models.length - 1,
      colorbar: { title: { text: '% of true class', side: 'right' }, thickness: 12, len: 0.9 },
      texttemplate: '%{z:.0f}', textfont: { size: FONT_SIZES.small - 1 }, customdata: counts,
      xaxis: cell.xaxis, yaxis: cell.yaxis, hovertemplate: 'true %{y}, predicted %{x}: %{z:.1f}% (%{customdata} images)<extra></extra>',
    });
    const acc = stat(rs.map((r) => r.final.testAccuracy)).mean;
    annotations.push(panelTitle(cell, `<b>${m}</b> (test accuracy ${(100 * acc).toFixed(1)}%)`, 13));
  });
  const ds = runs[0].dataset;
  const panel = 330;
  return {
    data,
    layout: {
      title: titleLayout(opts.title ?? `Confusion matrices (${ds.name} test split, ${ds.testSize} images${countsNote(byModel.get(models[0])!)})`),
      ...baseLayout(),
      ...subplotAxes(cells, () => ({ title: { text: 'predicted class' }, type: 'category', tickfont: { size: FONT_SIZES.small }, constrain: 'domain' }),
        (cell) => ({ title: cell.col === 0 ? { text: 'true class' } : undefined, type: 'category', autorange: 'reversed', tickfont: { size: FONT_SIZES.small }, scaleanchor: cell.xaxis, constrain: 'domain' })),
      annotations,
      width: Math.round(models.length * panel * 1.12 + 140),
      height: panel + 170,
      margin: { l: 70, r: 40, t: 100, b: 60 },
    },
  };
}
