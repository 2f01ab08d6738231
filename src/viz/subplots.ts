/**
 * Subplot grids for plotly figures without plotly's Python `make_subplots`: axis domains for a rows ×
 * columns grid, the axis ids traces refer to, and panel titles as annotations. Shared by every
 * multi-panel figure (learning curves, confusion matrices, heatmap grids).
 */
import { FONT_SIZES } from './style';

/** One cell of a subplot grid: the axis ids its traces use ('x', 'x2', …) and the layout keys. */
export interface SubplotCell {
  row: number;
  col: number;
  /** Trace-side axis ids: `{ xaxis: cell.xaxis, yaxis: cell.yaxis }`. */
  xaxis: string;
  yaxis: string;
  /** Layout-side keys ('xaxis', 'xaxis2', …). */
  xKey: string;
  yKey: string;
  /** Domains in paper coordinates. */
  xDomain: [number, number];
  yDomain: [number, number];
}

/** Options of {@link subplotGrid}. */
export interface SubplotGridOptions {
  /** Horizontal and vertical gaps between cells as fractions of the plot area (defaults 0.08 and 0.14). */
  xGap?: number;
  yGap?: number;
}

function checkCount(v: number, name: string): void {
  if (!Number.isInteger(v) || v < 1 || v > 40) throw new Error(`${name}: expected an integer from 1 to 40, got ${v}`);
}

/** The cells of a rows × cols grid, row-major from the top-left (cell 0 uses axes 'x'/'y'). */
export function subplotGrid(rows: number, cols: number, opts: SubplotGridOptions = {}): SubplotCell[] {
  checkCount(rows, 'rows');
  checkCount(cols, 'cols');
  const xGap = opts.xGap ?? 0.08;
  const yGap = opts.yGap ?? 0.14;
  for (const [v, n] of [[xGap, 'xGap'], [yGap, 'yGap']] as const) {
    if (!(v >= 0 && v < 0.5)) throw new Error(`${n}: expected a fraction in [0, 0.5), got ${v}`);
  }
  const w = (1 - xGap * (cols - 1)) / cols;
  const h = (1 - yGap * (rows - 1)) / rows;
  const cells: SubplotCell[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const suffix = i === 0 ? '' : String(i + 1);
      const x0 = c * (w + xGap);
      const y1 = 1 - r * (h + yGap);
      cells.push({
        row: r, col: c, xaxis: `x${suffix}`, yaxis: `y${suffix}`, xKey: `xaxis${suffix}`, yKey: `yaxis${suffix}`,
        xDomain: [round(x0), round(x0 + w)], yDomain: [round(y1 - h), round(y1)],
      });
    }
  }
  return cells;
}

function round(v: number): number {
  return Math.min(1, Math.max(0, Number(v.toFixed(6))));
}

/**
 * Layout entries for `cells`: each axis pair anchored to its cell with its domain, merged with the
 * given per-axis settings (e.g. titles). Spread the result into a figure's layout.
 */
export function subplotAxes(cells: readonly SubplotCell[], x: (cell: SubplotCell) => Record<string, unknown> = () => ({}),
  y: (cell: SubplotCell) => Record<string, unknown> = () => ({})): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const cell of cells) {
    out[cell.xKey] = { domain: cell.xDomain, anchor: cell.yaxis, ...x(cell) };
    out[cell.yKey] = { domain: cell.yDomain, anchor: cell.xaxis, ...y(cell) };
  }
  return out;
}

/** A panel title centred above `cell` (a plotly annotation in paper coordinates). */
export function panelTitle(cell: SubplotCell, text: string, fontSize: number = FONT_SIZES.panelTitle): Record<string, unknown> {
  return {
    text, showarrow: false, xref: 'paper', yref: 'paper', x: (cell.xDomain[0] + cell.xDomain[1]) / 2, y: cell.yDomain[1],
    xanchor: 'center', yanchor: 'bottom', yshift: 4, font: { size: fontSize },
  };
}
