/**
 * Timing helpers for benches: wall time with results read back, interleaved rounds (so that load
 * from other processes hits every variant alike), medians with warm-up rounds excluded.
 */
import * as os from 'os';
import { tf } from '../src/backend';

/** What a timed variant returns: tensors are read back (dataSync) and disposed inside the timing. */
export type Timed = () => tf.Tensor | tf.Tensor[] | void;

/** Wall time (ms) of one call, including reading every returned tensor back to the host. */
export function timeOnce(fn: Timed): number {
  return timeWallAndCpu(fn).wall;
}

/**
 * Wall time and process CPU time (ms) of one call, including reading every returned tensor back. On a
 * shared machine the CPU time is the steadier figure: it leaves out time spent descheduled.
 */
export function timeWallAndCpu(fn: Timed): { wall: number; cpu: number } {
  const c0 = process.cpuUsage(), t0 = performance.now();
  tf.tidy(() => {
    const out = fn();
    if (out) for (const t of Array.isArray(out) ? out : [out]) t.dataSync();
  });
  const wall = performance.now() - t0, c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

/** Summary statistics of a sample of times (ms). */
export interface TimeStats { median: number; min: number; q1: number; q3: number; n: number }

/** Median, min and quartiles (nearest rank) of `xs`. */
export function stats(xs: readonly number[]): TimeStats {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: at(0.5), min: s[0], q1: at(0.25), q3: at(0.75), n: s.length };
}

/**
 * Runs the variants round-robin: `warmup` rounds first (discarded), then `rounds` timed rounds.
 * Returns the timed wall-clock samples (ms) per variant.
 */
export function interleave(variants: Record<string, Timed>, rounds: number, warmup = 2): Record<string, number[]> {
  const both = interleaveWallAndCpu(variants, rounds, warmup);
  return Object.fromEntries(Object.entries(both).map(([k, v]) => [k, v.wall]));
}

/** Samples of one variant: wall and CPU milliseconds per call. */
export interface Samples { wall: number[]; cpu: number[] }

/** `interleave`, recording process CPU time beside wall time. */
export function interleaveWallAndCpu(variants: Record<string, Timed>, rounds: number, warmup = 2): Record<string, Samples> {
  const out: Record<string, Samples> = {};
  for (let r = -warmup; r < rounds; r++) {
    for (const [name, fn] of Object.entries(variants)) {
      const t = timeWallAndCpu(fn);
      if (r < 0) continue;
      const s = (out[name] ??= { wall: [], cpu: [] });
      s.wall.push(t.wall);
      s.cpu.push(t.cpu);
    }
  }
  return out;
}

/** The 1-minute load average and core count, to record how quiet the machine was. */
export function machineLoad(): { loadavg1: number; cores: number } {
  return { loadavg1: Math.round(os.loadavg()[0] * 100) / 100, cores: os.cpus().length };
}
