/**
 * Job ids of planned runs: the run's id (`<suite>-<dataset>-<model>-s<seed>`) plus a hash of everything its
 * result depends on, so resubmitting a suite, or two people submitting the same one, address the same jobs
 * (BullMQ ignores an add whose id exists), while a run with other settings or another architecture gets its own.
 */
import { createHash } from 'crypto';
import type { RunSpec } from '../run-spec';

/** Key-sorted JSON (so the hash does not depend on property order). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * The job id of a run: `<spec.id>-<12 hex digits>` over suite, model, seed, data (how it is loaded and what it
 * holds), training settings and architecture hash. Paths (result file, checkpoint folder) are left out: they
 * differ between machines and do not change the result. Never contains ':' and is never an integer (BullMQ rules).
 */
export function jobIdOf(spec: RunSpec): string {
  const what = { suite: spec.suite, model: spec.model, seed: spec.seed, data: spec.data, training: spec.training, architecture: spec.architecture };
  const hash = createHash('sha256').update(canonical(what)).digest('hex').slice(0, 12);
  return `${spec.id.replace(/:/g, '_')}-${hash}`;
}
