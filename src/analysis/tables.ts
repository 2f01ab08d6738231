/**
 * Tables of analysis results: plain records first (usable anywhere), and a danfojs DataFrame on demand.
 * danfojs-node is loaded lazily (about a second), so plain-array users never pay for it.
 */
import type { DataFrame } from 'danfojs-node';
import type { EntanglementMap } from './entanglement-map';
import type { PurityTrajectory } from './purity-trajectory';

/** One flat row: numbers, strings, booleans or null. */
export type TableRecord = Record<string, number | string | boolean | null>;

/** Per-class rows of an entanglement map: image count and mean / sd / median of the per-image ink means. */
export function entanglementClassTable(map: EntanglementMap): TableRecord[] {
  return map.byClass.map((c) => ({
    class: c.label, images: c.images,
    entropy_mean: c.entropy.mean, entropy_sd: c.entropy.sd, entropy_median: c.entropy.median,
    prepool_entropy_mean: c.prePoolEntropy.mean, prepool_entropy_sd: c.prePoolEntropy.sd,
    purity_mean: c.purity.mean, purity_sd: c.purity.sd,
  }));
}

/** One row per training snapshot: mean / sd of purity and entropies over non-blank patches. */
export function purityTrajectoryTable(t: PurityTrajectory): TableRecord[] {
  return t.snapshots.map((s) => ({
    snapshot: s.label, epoch: s.epoch,
    purity_mean: s.purity.mean, purity_sd: s.purity.sd,
    entropy_mean: s.entropy.mean, entropy_sd: s.entropy.sd,
    prepool_entropy_mean: s.prePoolEntropy.mean, prepool_entropy_sd: s.prePoolEntropy.sd,
  }));
}

/** Flattens records for a table: arrays and objects become JSON strings. */
export function flattenRecords(rows: ReadonlyArray<object>): TableRecord[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r as Record<string, unknown>).map(([k, v]) => [
    k, v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : (v as number | string | boolean),
  ])));
}

/** Records (e.g. `poolingInformation(...).rows`, `entanglementClassTable(map)`) as a danfojs DataFrame; null becomes NaN. */
export function analysisDataFrame(rows: ReadonlyArray<object>): DataFrame {
  if (!Array.isArray(rows)) throw new Error(`analysisDataFrame(rows): expected an array of records, got ${typeof rows}`);
  // Lazy: loading danfojs-node costs ~1 s.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const danfo = require('danfojs-node') as typeof import('danfojs-node');
  const flat = flattenRecords(rows);
  const columns = [...new Set(flat.flatMap((r) => Object.keys(r)))];
  if (flat.length === 0) return new danfo.DataFrame([], { columns });
  const data: Record<string, Array<number | string | boolean>> = {};
  for (const c of columns) data[c] = flat.map((r) => (r[c] === null || r[c] === undefined ? NaN : r[c] as number | string | boolean));
  return new danfo.DataFrame(data, { columns });
}
