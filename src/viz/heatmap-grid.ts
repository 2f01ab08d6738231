/**
 * A grid of image-like heatmaps (a digit beside its feature maps, per-class maps): each panel keeps the
 * image orientation (row 0 at the top), square pixels, and its own colour scale and optional colour bar.
 */
import type { Figure, Trace } from './figure';
import { panelTitle, subplotAxes, subplotGrid } from './subplots';
import { COLOR_SCALES, FONT, baseLayout, titleLayout } from './style';

/** One panel: a matrix shown as an image. */
export interface HeatmapPanel {
  title: string;
  /** Rows of values, row 0 drawn at the top. */
  z: ArrayLike<number>[];
  /** Plotly colour scale name or stops (default 'Viridis'). */
  colorscale?: string | Array<[number, string]>;
  /** Colour range (default: the data's range). */
  zmin?: number;
  zmax?: number;
  /** Draw a colour bar beside this panel (default false). */
  colorbar?: boolean;
  /** Colour bar title (e.g. '⟨Z⟩'). */
  colorbarTitle?: string;
}

/** Options of {@link heatmapGridFigure}. */
export interface HeatmapGridOptions {
  title?: string;
  /** Panels per row (default: all in one row, at most 5). */
  cols?: number;
  /** Pixels per panel side (default 190). */
  panelSize?: number;
}

/** The panels as one figure; see the file comment. */
export function heatmapGridFigure(panels: readonly HeatmapPanel[], opts: HeatmapGridOptions = {}): Figure {
  if (!Array.isArray(panels) || panels.length === 0) throw new Error('heatmapGridFigure(panels): expected at least one panel');
  panels.forEach((p, i) => {
    const z: readonly ArrayLike<number>[] = p.z;
    if (!Array.isArray(z) || z.length === 0 || z.some((row: ArrayLike<number>) => row.length !== z[0].length || row.length === 0)) {
      throw new Error(`heatmapGridFigure(panels[${i}].z): expected a non-empty rectangular matrix`);
    }
  });
  const cols = opts.cols ?? Math.min(panels.length, 5);
  if (!Number.isInteger(cols) || cols < 1) throw new Error(`cols: expected a positive integer, got ${cols}`);
  const rows = Math.ceil(panels.length / cols);
  const size = opts.panelSize ?? 190;
  const cells = subplotGrid(rows, cols, { xGap: 0.1 / Math.max(1, cols - 1) * Math.min(cols - 1, 3), yGap: rows > 1 ? 0.12 : 0 });
  const data: Trace[] = panels.map((p, i) => {
    const cell = cells[i];
    const span = cell.yDomain[1] - cell.yDomain[0];
    return {
      type: 'heatmap', z: p.z.map((row: ArrayLike<number>) => Array.from(row)), xaxis: cell.xaxis, yaxis: cell.yaxis,
      colorscale: p.colorscale ?? COLOR_SCALES.sequential, zmin: p.zmin, zmax: p.zmax, showscale: p.colorbar === true,
      hovertemplate: 'row %{y}, col %{x}: %{z:.3f}<extra></extra>',
      ...(p.colorbar ? {
        colorbar: {
          x: cell.xDomain[1] + 0.005, xanchor: 'left', y: (cell.yDomain[0] + cell.yDomain[1]) / 2, yanchor: 'middle',
          len: span, thickness: 10, title: p.colorbarTitle ? { text: p.colorbarTitle, side: 'right' } : undefined,
        },
      } : {}),
    };
  });
  const hidden = { showticklabels: false, ticks: '', showgrid: false, zeroline: false };
  const layout: Record<string, unknown> = {
    ...baseLayout(),
    ...(opts.title ? { title: titleLayout(opts.title) } : {}),
    ...subplotAxes(cells.slice(0, panels.length), () => ({ ...hidden, constrain: 'domain' }),
      (cell) => ({ ...hidden, autorange: 'reversed', scaleanchor: cell.xaxis, constrain: 'domain' })),
    annotations: panels.map((p, i) => panelTitle(cells[i], p.title, FONT.size)),
    width: Math.round(cols * size * 1.25 + 80),
    height: Math.round(rows * size * 1.2 + (opts.title ? 90 : 50)),
    margin: { l: 20, r: 60, t: opts.title ? 80 : 40, b: 20 },
  };
  return { data, layout };
}
