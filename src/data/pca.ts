/**
 * Fitted feature inputs: principal component analysis of images, a min–max rescale, and the dataset of
 * feature vectors they give (what Hur, Kim & Park feed their QCNN: PCA of the 784 pixels to 8 values,
 * rescaled to [0, π] by the minimum and maximum over all features of the training set).
 *
 * Everything here is fitted on a TRAINING split only: `fitPca` refuses a dataset named as a validation or
 * test split ('…/validation', '…/test', the loaders' names), and `featureSplit` fits on `split.train` and
 * only applies the fit to the validation and test images, so they can never shape the transform.
 *
 * The eigenvectors come from subspace iteration on the covariance matrix (float64) with a Rayleigh–Ritz
 * step (a small Jacobi eigen-solve) every few iterations, stopped when every kept pair's residual
 * ‖C·v − λ·v‖ is below 1e-10·λ₁: tfjs has no eigen-solver, and only the top few pairs are needed.
 */
import { ArgumentError } from '../util/errors';
import { jacobiHermitian } from '../util/jacobi';
import { Rng } from '../util/random';
import { ImageDataset, type TrainTestSplit } from './image-dataset';

/** A fitted PCA: x ↦ (x − mean)·componentsᵀ. */
export interface PcaFit {
  /** Input values per example (H·W·C). */
  dim: number;
  /** Components kept. */
  k: number;
  /** Mean of the training examples [dim]. */
  mean: Float64Array;
  /** Unit, mutually orthogonal components, row-major [k, dim], by decreasing explained variance; each one's largest entry is positive. */
  components: Float64Array;
  /** Variance along each component (sample variance, divisor n − 1), decreasing. */
  explainedVariance: Float64Array;
  /** Total variance (trace of the covariance), for explained-variance ratios. */
  totalVariance: number;
  /** Name and size of the dataset it was fitted on. */
  fittedOn: { name: string; size: number };
}

/** Refuses a dataset that the loaders name as a validation or test split: fronts are fitted on training images only. */
export function checkTrainingSplit(ds: ImageDataset, argument: string): void {
  if (/\/(test|validation)$/.test(ds.name)) {
    throw new ArgumentError(argument, 'a training split (fronts are fitted on training images only)', `the dataset '${ds.name}'`);
  }
}

/** Symmetric eigen-decomposition of a small m×m matrix (in place): eigenvalues and V (columns = eigenvectors). */
function eigenSymmetric(a: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const vectors = new Float64Array(m * m);
  jacobiHermitian(a, new Float64Array(m * m), m, vectors, new Float64Array(m * m));
  return { values: Float64Array.from({ length: m }, (_, i) => a[i * m + i]), vectors };
}

/** Orthonormalises the b columns of the d×b matrix Z (column-major: column j at j·d) in place (modified Gram–Schmidt, twice). */
function orthonormalize(z: Float64Array, d: number, b: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < b; j++) {
      const zj = z.subarray(j * d, (j + 1) * d);
      for (let i = 0; i < j; i++) {
        const zi = z.subarray(i * d, (i + 1) * d);
        let dot = 0;
        for (let r = 0; r < d; r++) dot += zi[r] * zj[r];
        for (let r = 0; r < d; r++) zj[r] -= dot * zi[r];
      }
      let norm = 0;
      for (let r = 0; r < d; r++) norm += zj[r] * zj[r];
      norm = Math.sqrt(norm);
      for (let r = 0; r < d; r++) zj[r] = norm > 0 ? zj[r] / norm : 0;
    }
  }
}

/** C·Q for the symmetric d×d matrix C (row-major) and the column-major d×b block Q. */
function multiply(c: Float64Array, q: Float64Array, d: number, b: number): Float64Array {
  const out = new Float64Array(d * b);
  for (let j = 0; j < b; j++) {
    const qj = q.subarray(j * d, (j + 1) * d);
    for (let r = 0; r < d; r++) {
      let s = 0;
      const row = r * d;
      for (let t = 0; t < d; t++) s += c[row + t] * qj[t];
      out[j * d + r] = s;
    }
  }
  return out;
}

/** The mean and the sample covariance (divisor n − 1, row-major d×d) of the examples of `ds`. */
function covariance(ds: ImageDataset): { mean: Float64Array; cov: Float64Array } {
  const n = ds.size, d = ds.pixelsPerImage;
  const x = ds.pixelsAt(Uint32Array.from({ length: n }, (_, i) => i));
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let r = 0; r < d; r++) mean[r] += x[i * d + r];
  for (let r = 0; r < d; r++) mean[r] /= n;
  const cov = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < d; r++) c[r] = x[i * d + r] - mean[r];
    for (let r = 0; r < d; r++) {
      const cr = c[r];
      if (cr === 0) continue; // pixels that are 0 in every image (the border) cost nothing
      const row = r * d;
      for (let t = r; t < d; t++) cov[row + t] += cr * c[t];
    }
  }
  for (let r = 0; r < d; r++) for (let t = r; t < d; t++) cov[t * d + r] = (cov[r * d + t] /= n - 1);
  return { mean, cov };
}

/** Fits a k-component PCA on the training images `train` (refusing a validation or test split); `seed` fixes the start of the iteration. */
export function fitPca(train: ImageDataset, k: number, seed = 0): PcaFit {
  checkTrainingSplit(train, 'fitPca(train)');
  const n = train.size, d = train.pixelsPerImage;
  if (!Number.isInteger(k) || k < 1 || k > Math.min(n - 1, d)) {
    throw new ArgumentError('fitPca(k)', `an integer from 1 to ${Math.min(n - 1, d)} (examples − 1 and values per example)`, String(k));
  }
  const { mean, cov } = covariance(train);
  let totalVariance = 0;
  for (let r = 0; r < d; r++) totalVariance += cov[r * d + r];
  // A block wider than k makes the kth pair converge at rate λ_{b+1}/λ_k instead of λ_{k+1}/λ_k.
  const b = Math.min(d, k + 8);
  const rng = new Rng(seed);
  let q = Float64Array.from({ length: d * b }, () => rng.next() - 0.5);
  orthonormalize(q, d, b);
  let ritz = { values: new Float64Array(b), vectors: new Float64Array(b * b) };
  let basis = q;
  for (let it = 1; it <= 3000; it++) {
    const z = multiply(cov, q, d, b);
    if (it % 10 === 0) {
      // Rayleigh–Ritz: H = Qᵀ C Q, its eigenvectors rotate Q onto the best approximations in span(Q).
      const h = new Float64Array(b * b);
      for (let i = 0; i < b; i++) for (let j = 0; j < b; j++) {
        let s = 0;
        for (let r = 0; r < d; r++) s += q[i * d + r] * z[j * d + r];
        h[i * b + j] = s;
      }
      for (let i = 0; i < b; i++) for (let j = i + 1; j < b; j++) h[i * b + j] = h[j * b + i] = (h[i * b + j] + h[j * b + i]) / 2;
      ritz = eigenSymmetric(h, b);
      const order = Array.from(ritz.values.keys()).sort((x, y) => ritz.values[y] - ritz.values[x]);
      basis = new Float64Array(d * b);
      const cBasis = new Float64Array(d * b);
      order.forEach((col, j) => {
        for (let i = 0; i < b; i++) {
          const w = ritz.vectors[i * b + col];
          if (w === 0) continue;
          for (let r = 0; r < d; r++) {
            basis[j * d + r] += w * q[i * d + r];
            cBasis[j * d + r] += w * z[i * d + r];
          }
        }
      });
      ritz = { values: Float64Array.from(order, (col) => ritz.values[col]), vectors: ritz.vectors };
      let worst = 0;
      for (let j = 0; j < k; j++) {
        let res = 0;
        for (let r = 0; r < d; r++) res += (cBasis[j * d + r] - ritz.values[j] * basis[j * d + r]) ** 2;
        worst = Math.max(worst, Math.sqrt(res));
      }
      if (worst <= 1e-10 * Math.max(ritz.values[0], 1e-300)) break;
      q = basis;
      continue;
    }
    orthonormalize(z, d, b);
    q = z;
  }
  const components = new Float64Array(k * d);
  for (let j = 0; j < k; j++) {
    let big = 0;
    for (let r = 0; r < d; r++) if (Math.abs(basis[j * d + r]) > Math.abs(big)) big = basis[j * d + r];
    const sign = big < 0 ? -1 : 1;
    for (let r = 0; r < d; r++) components[j * d + r] = sign * basis[j * d + r];
  }
  return {
    dim: d, k, mean, components, explainedVariance: ritz.values.slice(0, k), totalVariance,
    fittedOn: { name: train.name, size: n },
  };
}

/** The PCA features of every example of `ds`, [n, k] row-major. */
export function pcaTransform(fit: PcaFit, ds: ImageDataset): Float32Array {
  if (ds.pixelsPerImage !== fit.dim) throw new ArgumentError('pcaTransform(ds)', `examples of ${fit.dim} values (the fit's)`, `${ds.pixelsPerImage} values per example in '${ds.name}'`);
  const n = ds.size, d = fit.dim, k = fit.k;
  const x = ds.pixelsAt(Uint32Array.from({ length: n }, (_, i) => i));
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let r = 0; r < d; r++) s += (x[i * d + r] - fit.mean[r]) * fit.components[j * d + r];
      out[i * k + j] = s;
    }
  }
  return out;
}

/** Feature vectors [n, k] of a dataset, from a map fitted on the training split. */
export type FeatureMap = (ds: ImageDataset) => Float32Array;

/**
 * The split as feature "images" of 1×k values: `map` (fitted on `split.train` by the caller) applied to every
 * split, then rescaled by (v − lo) / (hi − lo) with lo, hi the minimum and maximum over all features of the
 * TRAINING features (Hur et al.'s rescale, whose angle π·value spans [0, π] on the training set; validation
 * and test values may fall slightly outside). Labels, class names and provenance are kept.
 */
export function featureSplit(split: TrainTestSplit, map: FeatureMap, k: number, label: string): TrainTestSplit & { scale: { lo: number; hi: number } } {
  const trainValues = map(split.train);
  let lo = Infinity, hi = -Infinity;
  for (const v of trainValues) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!(hi > lo)) throw new ArgumentError(`featureSplit(${label})`, 'training features that are not all equal', `all ${lo}`);
  const wrap = (ds: ImageDataset, values: Float32Array): ImageDataset => {
    if (values.length !== ds.size * k) throw new ArgumentError(`featureSplit(${label})`, `${ds.size}·${k} features for '${ds.name}'`, `${values.length}`);
    const images = Float32Array.from(values, (v) => (v - lo) / (hi - lo));
    return new ImageDataset({ images, labels: ds.labels, height: 1, width: k, numClasses: ds.numClasses, classNames: ds.classNames, name: ds.name, sourceIndices: ds.sourceIndices });
  };
  return {
    name: split.name, source: `${split.source}; input: ${label} fitted on the ${split.train.size} training images, rescaled to [0, 1] by the training features' min ${lo.toPrecision(4)} and max ${hi.toPrecision(4)}`,
    train: wrap(split.train, trainValues), test: wrap(split.test, map(split.test)),
    ...(split.validation ? { validation: wrap(split.validation, map(split.validation)) } : {}),
    scale: { lo, hi },
  };
}
