/**
 * Test accuracy per model (one row each, table order): every good seed as a small dot and the mean ± std over
 * the good seeds as a large marker with error bars, coloured by role (hybrid, same-shape control,
 * parameter-matched CNN, other). Failed seeds are named beside the model, not drawn: one stalled run would
 * otherwise stretch the axis and hide the differences the figure is about. The axis is zoomed to the data, and
 * on official MNIST a dotted line marks issue 13's 99.0 % aim.
 */
import type { SummaryRow } from '../experiments';
import { type Figure, type Trace, COLORS, FONT_SIZES, baseLayout, titleLayout } from '../viz';
import { healthNotes } from './comparison';
import { AIM } from './headline';
import { ROLE_COLORS, modelRole, type ModelRole } from './results-figures';

/** A model's y-axis label: its name, the counted-seed count, and any outlier or failed seeds. */
function label(r: SummaryRow): string {
  const notes = healthNotes(r);
  return `${r.model} (${r.seeds.length} seed${r.seeds.length === 1 ? '' : 's'}${notes.length ? `; ${notes.join('; ')}` : ''})`;
}

/** See the file comment; `rows` must be one dataset's summary rows. */
export function accuracyPerModelFigure(rows: readonly SummaryRow[], opts: { title?: string } = {}): Figure {
  if (!Array.isArray(rows) || rows.length === 0) throw new Error('accuracyPerModelFigure(rows): expected at least one summary row, got none');
  const datasets = new Set(rows.map((r) => r.dataset));
  if (datasets.size > 1) throw new Error(`accuracyPerModelFigure(rows): expected rows of one dataset, got ${[...datasets].join(', ')}`);
  const shown = rows.filter((r) => r.seeds.length > 0);
  const labels = rows.map(label);
  const data: Trace[] = [];
  const roles: ModelRole[] = ['hybrid', 'same-shape control', 'parameter-matched CNN', 'other classical'];
  for (const role of roles) {
    const members = shown.filter((r) => modelRole(r.model, rows) === role);
    if (members.length === 0) continue;
    const color = ROLE_COLORS[role];
    data.push({
      type: 'scatter', mode: 'markers', name: 'each seed', legendgroup: role, showlegend: role === roles.find((x) => shown.some((r) => modelRole(r.model, rows) === x)),
      x: members.flatMap((r) => r.testAccuracy.values.map((v: number) => 100 * v)), y: members.flatMap((r) => r.seeds.map(() => label(r))),
      text: members.flatMap((r) => r.seeds.map((s: number) => `seed ${s}`)),
      marker: { color: COLORS.referenceDark, size: 6, symbol: 'circle' },
      hovertemplate: '%{y}, %{text}: %{x:.2f} %<extra></extra>',
    });
    data.push({
      type: 'scatter', mode: 'markers', name: `${role === 'hybrid' ? 'hybrid (quantum layer)' : role}: mean ± std`, legendgroup: role,
      x: members.map((r) => 100 * r.testAccuracy.mean), y: members.map(label),
      error_x: { type: 'data', array: members.map((r) => 100 * r.testAccuracy.std), visible: true, thickness: 1.5, width: 5, color },
      marker: { color, size: 12, symbol: 'diamond', opacity: 0.8, line: { color: 'white', width: 1 } },
      customdata: members.map((r) => [r.seeds.length, r.parameters.total]),
      hovertemplate: '%{y}<br>mean %{x:.2f} % over %{customdata[0]} seed(s), %{customdata[1]} parameters<extra></extra>',
    });
  }
  const values = shown.flatMap((r) => [...r.testAccuracy.values, r.testAccuracy.mean - r.testAccuracy.std, r.testAccuracy.mean + r.testAccuracy.std].map((v) => 100 * v));
  const r0 = rows[0];
  const aim = r0.dataset === AIM.dataset ? 100 * AIM.accuracy : null;
  const lo = Math.min(...values, ...(aim !== null ? [aim] : []));
  const hi = Math.max(...values, ...(aim !== null ? [aim] : []));
  const pad = Math.max(0.1, (hi - lo) * 0.06);
  const seeds = [...new Set(rows.flatMap((r) => r.seeds))].sort((a, b) => a - b);
  return {
    data,
    layout: {
      title: titleLayout(opts.title ?? `Test accuracy per model (${r0.dataset}, ${r0.trainSize.toLocaleString('en-US')} train / ${r0.testSize.toLocaleString('en-US')} test, ` +
        `${r0.validation ? 'best-validation epoch' : 'last epoch, no validation'}; seed${seeds.length === 1 ? '' : 's'} ${seeds.join(', ')})`),
      ...baseLayout(),
      xaxis: { title: { text: 'test accuracy (%): each seed, and mean ± std over good seeds' }, range: [lo - pad, Math.min(100, hi + pad)], gridcolor: COLORS.grid, zeroline: false },
      yaxis: { type: 'category', categoryorder: 'array', categoryarray: labels, autorange: 'reversed', tickfont: { size: FONT_SIZES.small }, gridcolor: COLORS.grid },
      shapes: aim !== null ? [{ type: 'line', xref: 'x', yref: 'paper', x0: aim, x1: aim, y0: 0, y1: 1, line: { color: COLORS.referenceDark, dash: 'dot', width: 1.5 } }] : [],
      annotations: aim !== null ? [{ text: `aim ${aim.toFixed(1)} %`, x: aim, xref: 'x', y: 1, yref: 'paper', yanchor: 'bottom', showarrow: false, font: { size: FONT_SIZES.small, color: COLORS.note } }] : [],
      legend: { orientation: 'h', x: 0.5, xanchor: 'center', y: -0.2, yanchor: 'top', font: { size: FONT_SIZES.legend } },
      width: 900,
      height: Math.max(460, 240 + 26 * rows.length),
      margin: { l: 260, r: 30, t: 80, b: 160 },
    },
  };
}
