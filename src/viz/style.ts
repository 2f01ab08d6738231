/**
 * The one look of qkc's figures: font, colours, sizes and the layout pieces every figure builder
 * shares (src/figures, and src/viz's generic grids). A figure takes these from here instead of writing
 * its own, so every figure in figures/ and in the notebooks has the same font and palette.
 */

/** Font of every figure (titles, axes, legends). */
export const FONT = { family: 'Arial, Helvetica, sans-serif', size: 13 } as const;

/** Font sizes other than the body's FONT.size. */
export const FONT_SIZES = { title: 15, panelTitle: 14, legend: 12, small: 11 } as const;

/** Named colours: Okabe–Ito's colour-blind-safe hues for data, greys for references and furniture. */
export const COLORS = {
  blue: '#0072B2',
  orange: '#E69F00',
  green: '#009E73',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  sky: '#56B4E9',
  yellow: '#F0E442',
  /** A data series that is "other" or a baseline drawn as data. */
  grey: '#7f7f7f',
  /** Reference lines (chance level, bounds, 1/√N). */
  reference: '#999',
  /** A second, darker reference line. */
  referenceDark: '#444',
  /** Notes and secondary text. */
  note: '#555',
  /** Axis grid lines. */
  grid: '#e5e5e5',
  /** Lighter grid inside square panels (Bloch disks). */
  gridLight: '#f0f0f0',
  /** Table header fill, and the fill of highlighted (hybrid) table rows. */
  tableHeader: '#d9d9d9',
  tableHighlight: '#e8f1fa',
} as const;

/** Categorical series in order (Okabe–Ito without black): series i takes SERIES_COLORS[i % length]. */
export const SERIES_COLORS: readonly string[] = [COLORS.blue, COLORS.orange, COLORS.green, COLORS.vermillion, COLORS.purple, COLORS.sky, COLORS.yellow];

/** Ten classes (digits 0–9): ten distinct hues, class c takes CLASS_COLORS[c % 10]. */
export const CLASS_COLORS: readonly string[] = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** Colour scales of heatmaps: images, signed values, non-negative quantities, and percentages (confusion matrices). */
export const COLOR_SCALES = {
  image: 'Greys',
  diverging: 'RdBu',
  sequential: 'Viridis',
  percent: [[0, '#ffffff'], [0.15, '#deebf7'], [0.5, '#6baed6'], [1, '#08306b']] as Array<[number, string]>,
} as const;

/** A figure title centred above the plot. */
export function titleLayout(text: string, size: number = FONT_SIZES.title): Record<string, unknown> {
  return { text, x: 0.5, xanchor: 'center', font: { size } };
}

/** The layout entries every figure starts from: the font and a white plot area (axes then draw GRID lines). */
export function baseLayout(): Record<string, unknown> {
  return { font: { ...FONT }, plot_bgcolor: 'white' };
}

/** An axis with the shared grid (plus `extra`, which wins). */
export function gridAxis(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { gridcolor: COLORS.grid, zeroline: false, ...extra };
}
