/** Small descriptive statistics over plain arrays (NaN entries are skipped), shared by the analyses. */

/** Summary of a sample: size, mean, standard deviation (n − 1), median and quartiles; NaN fields when empty. */
export interface Summary {
  n: number;
  mean: number;
  sd: number;
  median: number;
  q25: number;
  q75: number;
  min: number;
  max: number;
}

/** The finite values of `xs`, sorted ascending. */
function sortedFinite(xs: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i])) out.push(xs[i]);
  return out.sort((a, b) => a - b);
}

/** Linear-interpolation quantile (type 7, as numpy's default) of sorted values. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Mean of the finite values (NaN when none). */
export function mean(xs: ArrayLike<number>): number {
  let s = 0, n = 0;
  for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i])) { s += xs[i]; n++; }
  return n ? s / n : NaN;
}

/** Summary of the finite values of `xs`. */
export function summarize(xs: ArrayLike<number>): Summary {
  const v = sortedFinite(xs);
  const n = v.length;
  const m = mean(v);
  let ss = 0;
  for (const x of v) ss += (x - m) ** 2;
  return {
    n, mean: m, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN,
    median: quantileSorted(v, 0.5), q25: quantileSorted(v, 0.25), q75: quantileSorted(v, 0.75),
    min: n ? v[0] : NaN, max: n ? v[n - 1] : NaN,
  };
}

/** Replaces NaN / ±Infinity by null so the value survives JSON (plotly draws null as a gap). */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** A Summary with non-finite fields as null, for JSON. */
export type JsonSummary = { [K in keyof Summary]: number | null };

/** `summarize` for JSON files. */
export function jsonSummary(xs: ArrayLike<number>): JsonSummary {
  const s = summarize(xs);
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, finiteOrNull(v)])) as JsonSummary;
}

/** Deterministic subsample of `n` indices of [0, total) (evenly spaced), or all when total ≤ n. */
export function evenSample(total: number, n: number): number[] {
  if (total <= n) return Array.from({ length: total }, (_, i) => i);
  return Array.from({ length: n }, (_, i) => Math.floor((i * total) / n));
}
