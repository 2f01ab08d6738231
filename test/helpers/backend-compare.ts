/** Helpers for tests that check a backend's kernels against the cpu backend (an independent implementation). */
import { strict as assert } from 'assert';
import { tf } from '../../src/backend';

/** Runs `fn` on the cpu backend (tfjs moves the input data there) and switches back. */
export async function onCpu<T>(fn: () => T): Promise<T> {
  const prev = tf.getBackend();
  await tf.setBackend('cpu');
  try {
    return fn();
  } finally {
    await tf.setBackend(prev);
  }
}

/** max |a − b| / max |b|: one number for "equal up to float32 rounding". */
export function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'lengths differ');
  let d = 0, s = 1e-12;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return d / s;
}
