/**
 * The same hybrid runs trained with two quantum gradient methods (e.g. parameter-shift and backprop):
 * learning curves of both, overlaid per hybrid, so a reader sees whether the method changed training.
 * Exact gradients agree to float32 rounding; over thousands of Adam steps that rounding may drift
 * a run a little, which the curves show as it is.
 */
import type { RunResult } from '../experiments';
import { type Figure, type Trace, COLORS, FONT_SIZES, panelTitle, subplotGrid } from '../viz';
import { pairRunsByGradientMethod } from './comparison';
import { curvesGridLayout, epochAccuracyLabel, historyCurve } from './results-figures';

/** Colours and dashes of the first (`a`) and second (`b`) method (Okabe–Ito blue and vermillion). */
const STYLE = [{ color: COLORS.blue, dash: 'solid' }, { color: COLORS.vermillion, dash: 'dash' }] as const;

/**
 * One column per hybrid of one dataset: test accuracy (top) and training loss (bottom) per epoch, mean
 * over the paired seeds, for the runs of `a` and their twins in `b` (same dataset, model and seed, other
 * gradient method). Throws when no run pairs up.
 */
export function gradientMethodsFigure(a: readonly RunResult[], b: readonly RunResult[]): Figure {
  const groups = pairRunsByGradientMethod(a, b);
  if (groups.length === 0) throw new Error('gradientMethodsFigure(a, b): no hybrid run of a has a twin in b (same dataset, model and seed) under another gradient method');
  const datasets = new Set(groups.map((g) => g[0][0].dataset.name));
  if (datasets.size > 1) throw new Error(`gradientMethodsFigure(a): expected runs of one dataset, got ${[...datasets].join(', ')} (filter by r.dataset.name)`);
  const cells = subplotGrid(2, groups.length, { xGap: 0.05, yGap: 0.16 });
  const data: Trace[] = [];
  const annotations: Record<string, unknown>[] = [];
  groups.forEach((pairs, col) => {
    const top = cells[col];
    const bottom = cells[groups.length + col];
    const gap = Math.max(...pairs.map(([p, q]) => Math.abs(p.final.testAccuracy - q.final.testAccuracy)));
    annotations.push(panelTitle(top, `<b>${pairs[0][0].model.name}</b><br><span style="font-size:${FONT_SIZES.small}px">max |Δ test acc| ${(100 * gap).toFixed(2)} points</span>`));
    for (const side of [0, 1] as const) {
      const runs = pairs.map((pair) => pair[side]);
      const method = runs[0].training.diffMethod;
      for (const [cell, field, scale] of [[top, 'val_accuracy', 100], [bottom, 'loss', 1]] as const) {
        const c = historyCurve(runs, field);
        data.push({
          type: 'scatter', mode: 'lines', x: c.epoch, y: c.mean.map((v) => v * scale), name: method, legendgroup: method,
          showlegend: col === 0 && cell === top, line: { color: STYLE[side].color, dash: STYLE[side].dash, width: 2 },
          xaxis: cell.xaxis, yaxis: cell.yaxis, hovertemplate: `${method}<br>epoch %{x}: %{y:.4f}<extra></extra>`,
        });
      }
    }
  });
  const first = groups[0][0];
  const [ma, mb] = [first[0].training.diffMethod, first[1].training.diffMethod];
  const seeds = new Set(groups.flatMap((g) => g.map(([p]) => p.training.seed))).size;
  const maxEpoch = Math.max(...groups.flatMap((g) => g.map(([p]) => p.history.length)));
  const ds = first[0].dataset;
  const title = `Same runs, two gradient methods: ${ma} vs ${mb} (${ds.name}, ${ds.trainSize} train / ${ds.testSize} test, mean over ${seeds} seed${seeds > 1 ? 's' : ''})`;
  return { data, layout: curvesGridLayout(cells, groups.length, maxEpoch, title, annotations, epochAccuracyLabel(groups.flat(2))) };
}
