/**
 * Pairing schedules: which qubit is pooled into which, stage by stage. The default halves the live
 * qubits per stage as QCNNs do (Cong et al.; Hur et al.'s pooling_layer1/2 follow the same rule): in the
 * list of live qubits K, the qubit at odd position 2i+1 is dropped into the one at even position 2i.
 * On a 2×2 window in row-major order (qubits 0 1 / 2 3) that pools each row's right value into its left
 * one (1→0, 3→2), then the bottom row into the top (2→0).
 */
import { show } from '../qkc/validate';
import { badArgument } from '../util/errors';

/** One pooling step: [dropped, kept]. */
export type PoolPair = [number, number];
/** Stages of pairs; the pairs of a stage touch distinct qubits. */
export type PoolSchedule = PoolPair[][];

/**
 * The default schedule pooling qubits 0 … n−1 down to `keep`: per stage, pair K[2i+1] → K[2i] over the
 * live qubits K (ascending), taking only as many pairs as still need dropping (so 4 → 3 drops qubit 1 only).
 */
export function poolingSchedule(nQubits: number, keep: number): PoolSchedule {
  if (!Number.isInteger(nQubits) || nQubits < 2) throw badArgument(`pooling (qubits): expected at least 2 qubits to pool, got ${show(nQubits)}`);
  if (!Number.isInteger(keep) || keep < 1 || keep >= nQubits) {
    throw badArgument(`keep: expected an integer number of kept qubits in [1, ${nQubits - 1}] when pooling ${nQubits} qubits, got ${show(keep)}`);
  }
  let live = Array.from({ length: nQubits }, (_, q) => q);
  const stages: PoolSchedule = [];
  while (live.length > keep) {
    const pairs = Math.min(Math.floor(live.length / 2), live.length - keep);
    const stage: PoolPair[] = [];
    for (let i = 0; i < pairs; i++) stage.push([live[2 * i + 1], live[2 * i]]);
    const dropped = new Set(stage.map(([d]) => d));
    live = live.filter((q) => !dropped.has(q));
    stages.push(stage);
  }
  return stages;
}

/**
 * Checks a (user) schedule against an n-qubit circuit: pairs of distinct in-range qubits, no qubit used
 * twice within a stage, no qubit touched after it was dropped. Returns the kept qubits (ascending) and
 * the dropped ones (in dropping order).
 */
export function checkSchedule(schedule: unknown, nQubits: number, arg = 'schedule'): { kept: number[]; dropped: number[] } {
  if (!Array.isArray(schedule) || schedule.length === 0) throw badArgument(`${arg}: expected a non-empty array of stages of [dropped, kept] pairs, got ${show(schedule)}`);
  const dropped: number[] = [];
  schedule.forEach((stage, s) => {
    if (!Array.isArray(stage) || stage.length === 0) throw badArgument(`${arg}[${s}]: expected a non-empty array of [dropped, kept] pairs, got ${show(stage)}`);
    const used = new Set<number>();
    stage.forEach((pair, p) => {
      const where = `${arg}[${s}][${p}]`;
      if (!Array.isArray(pair) || pair.length !== 2) throw badArgument(`${where}: expected a pair [dropped, kept], got ${show(pair)}`);
      for (const q of pair) {
        if (!Number.isInteger(q) || q < 0 || q >= nQubits) throw badArgument(`${where}: qubit ${show(q)} is missing from the ${nQubits}-qubit circuit (expected an index in [0, ${nQubits - 1}])`);
        if (dropped.includes(q)) throw badArgument(`${where}: qubit ${q} was already dropped in an earlier stage`);
        if (used.has(q)) throw badArgument(`${where}: qubit ${q} appears twice in stage ${s}`);
        used.add(q);
      }
    });
    for (const [d] of stage as PoolPair[]) dropped.push(d);
  });
  const kept = Array.from({ length: nQubits }, (_, q) => q).filter((q) => !dropped.includes(q));
  return { kept, dropped };
}
