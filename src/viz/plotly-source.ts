/** The plotly.js bundle read from node_modules, for inlining: figures and HTML must work offline (no CDN). */
import * as fs from 'fs';

let cached: { source: string; version: string } | undefined;

function load(): { source: string; version: string } {
  if (!cached) {
    const file = require.resolve('plotly.js-dist-min/plotly.min.js');
    const raw = fs.readFileSync(file, 'utf8');
    // Defensive: an inline <script> ends at the first `</script`, wherever it sits in the source.
    const source = raw.replace(/<\/script/gi, '<\\/script');
    const version = /plotly\.js v([0-9][^\s*]*)/.exec(raw.slice(0, 200))?.[1] ?? 'unknown';
    cached = { source, version };
  }
  return cached;
}

/** plotly.min.js's text (about 4.8 MB for plotly.js 3.x), read once per process. */
export function plotlySource(): string {
  return load().source;
}

/** The bundled plotly.js version, from the bundle's header comment. */
export function plotlyVersion(): string {
  return load().version;
}
