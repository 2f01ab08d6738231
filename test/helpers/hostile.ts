/** Helpers of the hostile-input tests: an error must come fast and be one of qkc's own typed errors. */
import { strict as assert } from 'assert';

/** Milliseconds of CPU this process spent since `start` (wall time on a shared machine counts other jobs too). */
export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

/**
 * Runs `f`, which must throw within `ms` milliseconds of CPU time (the process's own user + system time, so
 * that other jobs on a shared machine do not count); returns the error (anything else fails the test).
 */
export function typedErrorWithin(f: () => unknown, ms: number): Error {
  const start = process.cpuUsage();
  let caught: unknown;
  try { f(); } catch (e) { caught = e; }
  const elapsed = cpuMsSince(start);
  assert.ok(caught instanceof Error, `expected an error, got ${caught === undefined ? 'a result' : String(caught)}`);
  assert.ok(!(caught instanceof RangeError) && !(caught instanceof TypeError), `${caught.name} from the internals: ${caught.message}`);
  assert.ok(elapsed < ms, `took ${elapsed.toFixed(1)} ms (limit ${ms} ms): ${caught.message}`);
  return caught;
}
