/**
 * Rich output in the tslab Jupyter kernel: plotly figures as a MIME bundle (plotly JSON for frontends
 * with the plotly renderer + offline HTML for every other one) and tables as HTML.
 *
 * tslab's public `display` sends one MIME type per output (`display.html`, `display.raw(mime, data)`), but a
 * plotly bundle must carry both types in ONE output, or frontends with the plotly renderer would draw the
 * figure twice. So we reach the kernel's own display sender (`lastWriteDisplayData` in tslab's jupyter
 * module, tslab 1.0.x), falling back to `display.html` when it is not found.
 */
import { randomBytes } from 'crypto';
import * as path from 'path';
import { Figure, checkFigure, figureToJSON, scriptSafe } from './figure';
import { plotlySource } from './plotly-source';
import { TableLike, tableHtml, tableText } from './table';

/** A Jupyter display_data message body. */
interface DisplayMessage {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient?: Record<string, unknown>;
}

interface TslabPublic {
  display: { html(s: string): void };
}

/** The tslab instance running this kernel, or null outside tslab. */
function kernelTslab(): TslabPublic | null {
  // In a notebook cell `require('tslab')` is hooked to hand out the running kernel's tslab; the hooked
  // require is on globalThis.__tslab__. Our own require would find node_modules/tslab, which may be a
  // different copy than the one serving the kernel (e.g. a globally installed tslab).
  const hooked = (globalThis as { __tslab__?: { require?: (id: string) => unknown } }).__tslab__?.require;
  for (const load of [hooked, require]) {
    if (typeof load !== 'function') continue;
    try {
      const mod = load('tslab') as TslabPublic | undefined;
      if (mod && typeof mod.display?.html === 'function') return mod;
    } catch {
      // not available this way; try the next
    }
  }
  return null;
}

/** Sends a multi-MIME display message through tslab, or explains why it cannot. */
function sendDisplay(message: DisplayMessage, htmlFallback: string): void {
  const tslab = kernelTslab();
  const entry = tslab ? Object.values(require.cache).find((m) => m?.exports === tslab) : undefined;
  const jupyter = entry ? require.cache[path.join(path.dirname(entry.filename), 'jupyter.js')]?.exports as
    { lastWriteDisplayData?: ((m: DisplayMessage, update: boolean) => void) | null } | undefined : undefined;
  const send = jupyter?.lastWriteDisplayData;
  if (typeof send === 'function') {
    send(message, false);
    return;
  }
  if (tslab && jupyter === undefined) {
    tslab.display.html(htmlFallback); // tslab's internals moved: single-MIME HTML still works
    return;
  }
  throw new Error('showFigure/showTable: not running inside the tslab Jupyter kernel (no cell is executing); ' +
    'outside notebooks write files with exportFigure / tableHtml instead');
}

/** How the HTML fallback gets plotly.js, which must work offline (no CDN). */
export type InlinePlotly = 'once' | 'always' | 'never';

/** Options for {@link showFigure}. */
export interface ShowFigureOptions {
  /**
   * 'once' (default): the first figure of a kernel session carries plotly.js (+4.8 MB in that output and
   * in the saved notebook), later ones reuse it; 'always': every figure carries it; 'never': none does
   * (interactive only where plotly is already loaded; the static `image`, if given, shows otherwise).
   * Default from QKC_PLOTLY_INLINE, else 'once'.
   */
  inlinePlotly?: InlinePlotly;
  /** PNG bytes of the same figure (e.g. from FigureExporter.render) shown where scripts do not run (GitHub). */
  image?: Uint8Array;
  /**
   * false: the HTML fallback is the static `image` alone, without the figure's JSON and drawing script
   * (for saved notebooks that never load plotly.js: the figure data then rides once, in the plotly
   * MIME entry, instead of twice). Default true. Needs `image`.
   */
  htmlScript?: boolean;
}

let plotlySentThisSession = false;

/** The effective plotly inlining mode: `opt`, else QKC_PLOTLY_INLINE, else 'once' (an unknown value is an Error). */
export function plotlyInlineMode(opt?: InlinePlotly): InlinePlotly {
  const mode = opt ?? (process.env.QKC_PLOTLY_INLINE || 'once');
  if (mode !== 'once' && mode !== 'always' && mode !== 'never') {
    throw new Error(`inlinePlotly (or QKC_PLOTLY_INLINE): expected 'once', 'always' or 'never', got '${mode}'`);
  }
  return mode;
}

/**
 * The HTML fallback for one figure: a div drawn by plotly when it is (or becomes) available. Scripts run
 * only in trusted notebooks, so the div holds a static image or a note until plotly replaces it.
 */
export function figureFragmentHtml(fig: Figure, opts: { withPlotly: boolean; image?: Uint8Array; script?: boolean }): string {
  const id = `qkc-fig-${randomBytes(6).toString('hex')}`;
  const height = typeof fig.layout?.height === 'number' ? fig.layout.height : 450;
  const placeholder = opts.image
    ? `<img alt="figure" style="max-width:100%" src="data:image/png;base64,${Buffer.from(opts.image).toString('base64')}">`
    : '<span style="color:#888">[interactive plotly figure: needs a trusted notebook with plotly loaded; re-run the cell]</span>';
  if (opts.script === false) {
    if (!opts.image) throw new Error('figureFragmentHtml: script: false needs an image to show');
    if (opts.withPlotly) throw new Error('figureFragmentHtml: script: false cannot carry plotly.js');
    return `<div>${placeholder}</div>`;
  }
  const loader = opts.withPlotly
    ? `<script>${plotlySource()}</script><script>window.dispatchEvent(new Event('qkc-plotly-ready'));</script>` : '';
  return `${loader}<div id="${id}" style="width:100%;height:${height}px">${placeholder}</div>
<script>(function () {
  var fig = ${scriptSafe(figureToJSON(fig))};
  function draw() {
    var el = document.getElementById('${id}');
    if (!el) return;
    el.innerHTML = '';
    window.Plotly.newPlot(el, fig.data, fig.layout, Object.assign({ responsive: true }, fig.config));
  }
  if (window.Plotly) draw(); else window.addEventListener('qkc-plotly-ready', draw, { once: true });
})();</script>`;
}

/**
 * Shows a plotly figure in the tslab kernel: one output carrying 'application/vnd.plotly.v1+json' (drawn
 * by JupyterLab's plotly renderer where installed) and an offline 'text/html' fallback (classic notebook,
 * JupyterLab without the renderer, nbviewer); with `image`, also 'image/png'.
 */
export function showFigure(fig: Figure, opts: ShowFigureOptions = {}): void {
  checkFigure(fig);
  const mode = plotlyInlineMode(opts.inlinePlotly);
  const script = opts.htmlScript ?? true;
  if (!script && !opts.image) throw new Error('showFigure(htmlScript): false needs an image (options.image) for the HTML fallback');
  const withPlotly = script && (mode === 'always' || (mode === 'once' && !plotlySentThisSession));
  const html = figureFragmentHtml(fig, { withPlotly, image: opts.image, script });
  const data: Record<string, unknown> = {
    'application/vnd.plotly.v1+json': JSON.parse(figureToJSON(fig)) as unknown,
    'text/html': html,
    'text/plain': `<plotly figure: ${fig.data.length} trace(s)>`,
  };
  if (opts.image) data['image/png'] = Buffer.from(opts.image).toString('base64');
  sendDisplay({ data, metadata: {} }, html);
  if (withPlotly) plotlySentThisSession = true;
}

/** Shows a danfojs DataFrame or an array of records as an HTML table (text/plain alongside). */
export function showTable(table: TableLike, opts: { maxRows?: number } = {}): void {
  const html = tableHtml(table, opts.maxRows);
  sendDisplay({ data: { 'text/html': html, 'text/plain': tableText(table, opts.maxRows) }, metadata: {} }, html);
}
