/** Helpers of the hostile-input tests: an error must come fast and be one of qkc's own typed errors. */
import { strict as assert } from 'assert';

/** Runs `f`, which must throw within `ms` milliseconds; returns the error (anything else fails the test). */
export function typedErrorWithin(f: () => unknown, ms: number): Error {
  const t = performance.now();
  let caught: unknown;
  try { f(); } catch (e) { caught = e; }
  const elapsed = performance.now() - t;
  assert.ok(caught instanceof Error, `expected an error, got ${caught === undefined ? 'a result' : String(caught)}`);
  assert.ok(!(caught instanceof RangeError) && !(caught instanceof TypeError), `${caught.name} from the internals: ${caught.message}`);
  assert.ok(elapsed < ms, `took ${elapsed.toFixed(1)} ms (limit ${ms} ms): ${caught.message}`);
  return caught;
}
