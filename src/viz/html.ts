/** Standalone, offline HTML for a figure: plotly inlined, so the file opens anywhere without a network. */
import { Figure, figureToJSON, scriptSafe } from './figure';
import { plotlySource } from './plotly-source';

/** Options for {@link figureHtml}. */
export interface FigureHtmlOptions {
  /** The page title (default: the layout's title text, else "qkc figure"). */
  title?: string;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The layout's title text when it has one (plotly accepts a string or {text}). */
export function figureTitle(fig: Figure): string | undefined {
  const t = fig.layout?.title;
  if (typeof t === 'string') return t;
  if (typeof t === 'object' && t !== null && typeof (t as { text?: unknown }).text === 'string') return (t as { text: string }).text;
  return undefined;
}

/**
 * A complete HTML document showing `fig` interactively, with plotly.js inlined (about 4.8 MB per file:
 * the price of opening offline). The plot fills the window unless the layout fixes width/height.
 */
export function figureHtml(fig: Figure, opts: FigureHtmlOptions = {}): string {
  const json = scriptSafe(figureToJSON(fig));
  const title = escapeHtml(opts.title ?? figureTitle(fig)?.replace(/<[^>]*>/g, '') ?? 'qkc figure');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>html, body { margin: 0; height: 100%; } #qkc-figure { width: 100%; height: 100%; }</style>
</head>
<body>
<div id="qkc-figure"></div>
<script>${plotlySource()}</script>
<script>
(function () {
  var fig = ${json};
  var config = Object.assign({ responsive: true }, fig.config);
  Plotly.newPlot('qkc-figure', fig.data, fig.layout, config);
})();
</script>
</body>
</html>
`;
}
