/**
 * Bloch vectors of the pooled qubits: after pooling, each kept qubit's reduced state is a point in the
 * Bloch ball. Its length |r| is 1 for a pure qubit and shrinks as the qubit stays entangled with the
 * discarded ones (|r|² = 2·purity − 1 for one qubit), and its direction is what a read-out sees (⟨Z⟩ =
 * z). Collected per patch over many images (streamed through capture), summarised per digit class, with
 * a sample of points per class for plotting. Blank patches (window all zero) are left out of the class
 * statistics; they all sit at one point, reported separately.
 */
import { tf } from '../backend';
import { blochVectors } from '../inspect';
import { CaptureStatesOptions, CaptureTarget, forEachCapture } from './capture';
import { AnalysisImages, imageLabels } from './images';

/** Per-class summary of one kept qubit. */
export interface ClassBloch {
  label: number;
  /** Non-blank patches of this class. */
  patches: number;
  /** Mean Bloch vector [x, y, z] (its length is ≤ the mean length). */
  mean: [number, number, number];
  /** Mean |r| (1: pure; < 1: entangled with the dropped qubits). */
  meanLength: number;
  /** |r| quartiles [q25, median, q75]. */
  lengthQuartiles: [number, number, number];
}

/** What `pooledBlochVectors` returns. */
export interface PooledBloch {
  kind: 'pooled-bloch';
  layer: string;
  /** Kept qubits (circuit numbering); `qubits[j]` describes kept[j]. */
  kept: number[];
  images: number;
  patchesPerImage: number;
  /** Bloch vector of the blank patch per kept qubit (null when no patch was blank). */
  blank: Array<[number, number, number]> | null;
  qubits: Array<{ qubit: number; byClass: ClassBloch[] }>;
  /** Sampled non-blank points per class and kept qubit, for plotting: [label, kept index, x, y, z]. */
  samples: Array<[number, number, number, number, number]>;
}

/** Options of {@link pooledBlochVectors}. */
export interface PooledBlochOptions extends CaptureStatesOptions {
  labels?: ArrayLike<number>;
  /** Points kept per class and kept qubit for plotting (default 150; evenly strided over the patches). */
  samplesPerClass?: number;
}

function quartiles(v: number[]): [number, number, number] {
  if (v.length === 0) return [NaN, NaN, NaN];
  const s = [...v].sort((a, b) => a - b);
  const q = (p: number): number => {
    const pos = (s.length - 1) * p, lo = Math.floor(pos), hi = Math.ceil(pos);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  };
  return [q(0.25), q(0.5), q(0.75)];
}

/** See the file comment. Needs class labels (from an ImageDataset or `labels`). */
export async function pooledBlochVectors(target: CaptureTarget, images: AnalysisImages, options: PooledBlochOptions = {}): Promise<PooledBloch> {
  const labels = imageLabels(images, options.labels, 'pooledBlochVectors');
  if (labels === null) throw new Error('pooledBlochVectors(labels): expected class labels (an ImageDataset or options.labels)');
  const perClassCap = options.samplesPerClass ?? 150;
  if (!Number.isInteger(perClassCap) || perClassCap < 0) throw new Error(`samplesPerClass: expected a non-negative integer, got ${perClassCap}`);
  const numClasses = Math.max(...labels) + 1;
  let layer = '', kept: number[] = [], per = 0, count = 0;
  let blank: Array<[number, number, number]> | null = null;
  // vectors[j][class] = flat xyz list of non-blank patches.
  let vectors: number[][][] = [];
  await forEachCapture(target, images, (c) => {
    const m = c.pool.kept.length;
    if (vectors.length === 0) {
      layer = c.layer;
      kept = [...c.pool.kept];
      vectors = Array.from({ length: m }, () => Array.from({ length: numClasses }, () => []));
    }
    per = c.grid.slice(1).reduce((a, b) => a * b, 1);
    count += c.count;
    const bv = blochVectors(c.pooled);
    const amp0 = tf.tidy(() => tf.abs(c.encoded.re.slice([0, 0], [-1, 1])).dataSync());
    const rows = c.count * per;
    for (let r = 0; r < rows; r++) {
      const isBlank = amp0[r] > 1 - 1e-5;
      if (isBlank) {
        blank ??= Array.from({ length: m }, (_, j) => [bv[(r * m + j) * 3], bv[(r * m + j) * 3 + 1], bv[(r * m + j) * 3 + 2]] as [number, number, number]);
        continue;
      }
      const label = labels[c.offset + Math.floor(r / per)];
      for (let j = 0; j < m; j++) {
        const o = (r * m + j) * 3;
        vectors[j][label].push(bv[o], bv[o + 1], bv[o + 2]);
      }
    }
  }, options);
  const samples: PooledBloch['samples'] = [];
  const qubits = kept.map((qubit, j) => ({
    qubit,
    byClass: vectors[j].map((flat, label): ClassBloch => {
      const n = flat.length / 3;
      const mean: [number, number, number] = [0, 0, 0];
      const lengths: number[] = [];
      for (let i = 0; i < n; i++) {
        const [x, y, z] = [flat[3 * i], flat[3 * i + 1], flat[3 * i + 2]];
        mean[0] += x / n; mean[1] += y / n; mean[2] += z / n;
        lengths.push(Math.hypot(x, y, z));
      }
      const stride = Math.max(1, Math.ceil(n / Math.max(1, perClassCap)));
      for (let i = 0; i < n && perClassCap > 0; i += stride) samples.push([label, j, flat[3 * i], flat[3 * i + 1], flat[3 * i + 2]]);
      return { label, patches: n, mean, meanLength: lengths.reduce((a, b) => a + b, 0) / Math.max(1, n), lengthQuartiles: quartiles(lengths) };
    }).filter((c) => c.patches > 0),
  }));
  return { kind: 'pooled-bloch', layer, kept, images: count, patchesPerImage: per, blank, qubits, samples };
}
