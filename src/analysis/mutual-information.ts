/**
 * Mutual information between features and class labels, in bits, with documented estimators:
 *
 * - `binnedMutualInformation`: one scalar feature against the labels. The feature is discretised into
 *   equal-frequency bins (quantile edges on the same sample; ties collapse bins, so a constant feature
 *   gets one bin and I = 0), then the plug-in estimate Î = Ĥ(X) + Ĥ(Y) − Ĥ(X,Y) of the empirical
 *   joint distribution. Plug-in entropies are biased low, and Î is biased *high*: for independent X, Y
 *   E[Î] ≈ (B_X − 1)(B_Y − 1) / (2N ln 2) bits (B = occupied bins). The Miller–Madow correction adds
 *   (m − 1)/(2N) nats to each entropy (m = occupied cells), which removes that first-order term; both
 *   values are returned. Binning also loses information (a data-processing step), so with enough data
 *   the binned value is a lower bound of the continuous I(X;Y).
 * - `confusionMutualInformation`: I(Ŷ;Y) between a classifier's predictions and the labels from the
 *   confusion matrix, same plug-in and Miller–Madow terms. Since Ŷ is a function of the features F,
 *   I(F;Y) ≥ I(Ŷ;Y) (data processing).
 * - `crossEntropyBound`: the Barber–Agakov variational bound I(F;Y) ≥ H(Y) − CE, with CE the held-out
 *   cross-entropy (bits) of any classifier q(y|f); a better probe gives a tighter bound.
 */

/** An estimate in bits: the plug-in value, the Miller–Madow corrected value and the first-order bias of the plug-in. */
export interface MiEstimate {
  plugIn: number;
  millerMadow: number;
  /** plugIn − millerMadow: the estimated first-order (upward) bias of the plug-in value. */
  bias: number;
}

/** Plug-in entropy (nats) of a count table and its number of occupied cells. */
function countsEntropy(counts: ArrayLike<number>, n: number): { h: number; occupied: number } {
  let h = 0, occupied = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c > 0) { occupied++; h -= (c / n) * Math.log(c / n); }
  }
  return { h, occupied };
}

/** MI estimate from a joint count table [rows][cols] (rows: X, cols: Y). */
export function tableMutualInformation(joint: readonly (readonly number[])[]): MiEstimate {
  const rows = joint.length, cols = joint[0]?.length ?? 0;
  let n = 0;
  const rx = new Array<number>(rows).fill(0), cy = new Array<number>(cols).fill(0), flat: number[] = [];
  joint.forEach((row, i) => row.forEach((c, j) => {
    if (!(c >= 0)) throw new Error(`mutual information: expected non-negative counts, got ${c} at [${i}][${j}]`);
    n += c; rx[i] += c; cy[j] += c; flat.push(c);
  }));
  if (n === 0) throw new Error('mutual information: the count table is empty');
  const hx = countsEntropy(rx, n), hy = countsEntropy(cy, n), hxy = countsEntropy(flat, n);
  const plugIn = (hx.h + hy.h - hxy.h) / Math.LN2;
  // Miller–Madow: each entropy gains (m − 1)/(2N) nats; for I that is usually negative (the plug-in overshoots).
  const correction = (hx.occupied - 1 + hy.occupied - 1 - (hxy.occupied - 1)) / (2 * n) / Math.LN2;
  return { plugIn: Math.max(0, plugIn), millerMadow: Math.max(0, plugIn + correction), bias: -correction };
}

/** Bin index of every value: equal-frequency bins from `bins` − 1 interior quantile edges (ties collapse bins). */
export function quantileBins(values: ArrayLike<number>, bins: number): Int32Array {
  if (!Number.isInteger(bins) || bins < 2) throw new Error(`bins: expected an integer ≥ 2, got ${bins}`);
  const sorted = Float64Array.from(values).sort();
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const e = sorted[Math.min(sorted.length - 1, Math.floor((k * sorted.length) / bins))];
    if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
  }
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    // Number of edges ≤ value: values equal to an edge go to the upper bin, so ties stay together.
    let lo = 0, hi = edges.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (edges[mid] <= values[i]) lo = mid + 1; else hi = mid; }
    out[i] = lo;
  }
  return out;
}

/** I(X;Y) in bits of a scalar feature X (equal-frequency bins) and labels Y; see the file comment. */
export function binnedMutualInformation(values: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number, bins = 8): MiEstimate {
  if (values.length !== labels.length) throw new Error(`binnedMutualInformation(labels): expected ${values.length} labels (one per value), got ${labels.length}`);
  if (values.length === 0) throw new Error('binnedMutualInformation(values): expected at least one value');
  const b = quantileBins(values, bins);
  const joint = Array.from({ length: bins }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < b.length; i++) {
    const y = labels[i];
    if (!(Number.isInteger(y) && y >= 0 && y < numClasses)) throw new Error(`binnedMutualInformation(labels): expected integers in [0, ${numClasses - 1}], got ${y} at index ${i}`);
    joint[b[i]][y]++;
  }
  return tableMutualInformation(joint);
}

/** I(Ŷ;Y) in bits from a confusion matrix [true][predicted]. */
export function confusionMutualInformation(confusion: readonly (readonly number[])[]): MiEstimate {
  return tableMutualInformation(confusion);
}

/** Plug-in entropy H(Y) of labels in bits. */
export function labelEntropy(labels: ArrayLike<number>, numClasses: number): number {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return countsEntropy(counts, labels.length).h / Math.LN2;
}

/** Barber–Agakov lower bound H(Y) − CE (bits) on I(F;Y) from a held-out cross-entropy in bits (clamped at 0). */
export function crossEntropyBound(labelEntropyBits: number, crossEntropyBits: number): number {
  return Math.max(0, labelEntropyBits - crossEntropyBits);
}
