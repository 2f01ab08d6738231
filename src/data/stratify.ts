/**
 * Stratification without randomness: proportional allocation of a total over classes, and an ordering
 * of a labelled set in which every prefix has (within one example per class) the class proportions of
 * the whole. Subsets taken as prefixes of that order are nested and stratified, and need no seed.
 */
import { DatasetError } from './errors';

/** Checks a class-label array against its class count and returns the number of examples per class. */
export function countClasses(labels: ArrayLike<number>, numClasses: number, what = 'labels'): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (!(c >= 0 && c < numClasses) || !Number.isInteger(c)) {
      throw new DatasetError(what, `class labels in [0, ${numClasses - 1}]`, `${c} at position ${i}`);
    }
    counts[c]++;
  }
  return counts;
}

/**
 * Splits `total` over classes in proportion to `counts` by the largest-remainder (Hamilton) method:
 * each class gets floor(total·count/sum), and the units still missing go to the classes with the largest
 * fractional remainders, ties to the lower class index. Exact integer arithmetic, so it never drifts.
 */
export function allocateProportional(counts: readonly number[], total: number): number[] {
  const sum = counts.reduce((a, b) => a + b, 0);
  if (!Number.isInteger(total) || total < 0 || total > sum) {
    throw new Error(`allocateProportional(total): expected an integer in [0, ${sum}], got ${total}`);
  }
  if (sum === 0) return counts.map(() => 0);
  const share = counts.map((c) => Math.floor((total * c) / sum));
  const remainder = counts.map((c) => (total * c) % sum);
  let missing = total - share.reduce((a, b) => a + b, 0);
  const byRemainder = counts.map((_, i) => i).sort((a, b) => remainder[b] - remainder[a] || a - b);
  for (const c of byRemainder) {
    if (missing === 0) break;
    share[c]++;
    missing--;
  }
  return share;
}

/**
 * The stratified interleaving of positions 0 … n-1: the r-th example (in position order) of class c,
 * which has n_c examples, gets the key (r + ½) / n_c; positions are sorted by key, ties by class index.
 * Every prefix of this order holds round-ish shares (±1) of every class, and within a class keeps the
 * original order. Keys are compared exactly as integers ((2r+1)·n_d vs (2s+1)·n_c).
 */
export function stratifiedOrder(labels: ArrayLike<number>, numClasses: number): Uint32Array {
  const counts = countClasses(labels, numClasses);
  const rank = new Uint32Array(labels.length);
  const seen = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) rank[i] = seen[labels[i]]++;
  const order = Array.from({ length: labels.length }, (_, i) => i);
  order.sort((a, b) => {
    const ca = labels[a];
    const cb = labels[b];
    const d = (2 * rank[a] + 1) * counts[cb] - (2 * rank[b] + 1) * counts[ca];
    return d !== 0 ? d : ca - cb || a - b;
  });
  return Uint32Array.from(order);
}

/**
 * Positions of the stratified subset of size n: the first n of `stratifiedOrder`, returned in ascending
 * position order so a subset keeps the set's own order (and is a contiguous prefix when the set is
 * already stratified-ordered, which lets callers take a view instead of a copy).
 */
export function stratifiedSelection(labels: ArrayLike<number>, numClasses: number, n: number): Uint32Array {
  if (!Number.isInteger(n) || n < 0 || n > labels.length) {
    throw new Error(`stratified subset size: expected an integer in [0, ${labels.length}], got ${n}`);
  }
  return stratifiedOrder(labels, numClasses).slice(0, n).sort();
}

/**
 * '' when every class has at least one test image, else a note to print beside an accuracy measured on
 * too few images to mean anything (e.g. `--limit 5`: one test image of 10 classes).
 */
export function smallTestSetNote(test: { size: number; numClasses: number; classCounts(): number[] }): string {
  const covered = test.classCounts().filter((n) => n > 0).length;
  if (covered === test.numClasses) return '';
  return `; WARNING: ${test.size} test image(s) cover ${covered} of the ${test.numClasses} classes, so this accuracy says little (use a larger --test-size or --limit)`;
}
