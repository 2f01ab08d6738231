/** The figure spec every viz function takes: plain plotly {data, layout, config} data, nothing else. */

/** One plotly trace (`{ type: 'scatter', x, y, … }`); plotly's own schema, kept open here. */
export type Trace = { type?: string } & Record<string, unknown>;

/** A plotly figure: exactly what `Plotly.newPlot(div, data, layout, config)` takes. */
export interface Figure {
  data: Trace[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Throws an Error naming `argName` unless `fig` has a `data` array of trace objects and object layout/config. */
export function checkFigure(fig: unknown, argName = 'fig'): asserts fig is Figure {
  if (!isPlainObject(fig)) throw new Error(`${argName}: expected a plotly figure {data, layout?, config?}, got ${describe(fig)}`);
  if (!Array.isArray(fig.data)) throw new Error(`${argName}.data: expected an array of traces, got ${describe(fig.data)}`);
  fig.data.forEach((t, i) => {
    if (!isPlainObject(t)) throw new Error(`${argName}.data[${i}]: expected a trace object, got ${describe(t)}`);
  });
  for (const key of ['layout', 'config'] as const) {
    if (fig[key] !== undefined && !isPlainObject(fig[key])) {
      throw new Error(`${argName}.${key}: expected an object or undefined, got ${describe(fig[key])}`);
    }
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v).slice(0, 40)}`;
}

/**
 * The figure as JSON plotly reads: typed arrays (tensor data) become plain arrays (JSON.stringify would
 * turn a Float32Array into an {"0":…} object) and non-finite numbers become null, which plotly draws as gaps.
 */
export function figureToJSON(fig: Figure): string {
  checkFigure(fig);
  return JSON.stringify({ data: fig.data, layout: fig.layout ?? {}, config: fig.config ?? {} }, (_key, value: unknown) =>
    ArrayBuffer.isView(value) && !(value instanceof DataView) ? Array.from(value as unknown as ArrayLike<number>) : value);
}

/** JSON made safe to place inside an HTML <script> element (no `</script>`, no `<!--`). */
export function scriptSafe(json: string): string {
  return json.replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
