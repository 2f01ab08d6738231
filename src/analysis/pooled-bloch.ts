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
import type { Figure, Trace } from '../viz';
import { panelTitle, subplotAxes, subplotGrid } from '../viz';
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

const CLASS_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/**
 * One row per kept qubit: the sampled pooled Bloch vectors projected on the x–z plane inside the unit
 * circle (colour = digit class), and the per-class |r| quartiles (1 = pure, lower = entangled with the
 * dropped qubits).
 */
export function pooledBlochFigure(b: PooledBloch, opts: { title?: string } = {}): Figure {
  if (!b || b.kind !== 'pooled-bloch') throw new Error('pooledBlochFigure(b): expected the result of pooledBlochVectors');
  const rows = b.kept.length;
  const cells = subplotGrid(rows, 2, { xGap: 0.1, yGap: rows > 1 ? 0.12 : 0 });
  const data: Trace[] = [];
  const annotations: Record<string, unknown>[] = [];
  const circle = Array.from({ length: 97 }, (_, i) => (2 * Math.PI * i) / 96);
  const labels = [...new Set(b.samples.map((s) => s[0]))].sort((x, y) => x - y);
  b.kept.forEach((qubit, j) => {
    const [disk, box] = [cells[2 * j], cells[2 * j + 1]];
    annotations.push(panelTitle(disk, `pooled qubit ${qubit}: Bloch vectors (x–z plane)`), panelTitle(box, `pooled qubit ${qubit}: length |r| per class`));
    data.push({ type: 'scatter', mode: 'lines', x: circle.map(Math.cos), y: circle.map(Math.sin), line: { color: '#999', width: 1 }, hoverinfo: 'skip', showlegend: false, xaxis: disk.xaxis, yaxis: disk.yaxis });
    for (const label of labels) {
      const pts = b.samples.filter((s) => s[0] === label && s[1] === j);
      data.push({
        type: 'scatter', mode: 'markers', name: `digit ${label}`, legendgroup: `c${label}`, showlegend: j === 0,
        x: pts.map((s) => s[2]), y: pts.map((s) => s[4]), marker: { color: CLASS_COLORS[label % 10], size: 4, opacity: 0.55 },
        xaxis: disk.xaxis, yaxis: disk.yaxis, hovertemplate: `digit ${label}<br>x %{x:.2f}, z %{y:.2f}<extra></extra>`,
      });
    }
    if (b.blank) {
      const v = b.blank[j];
      data.push({ type: 'scatter', mode: 'markers', name: 'blank patch', legendgroup: 'blank', showlegend: j === 0, x: [v[0]], y: [v[2]], marker: { color: 'black', size: 11, symbol: 'x' }, xaxis: disk.xaxis, yaxis: disk.yaxis });
    }
    const byClass = b.qubits[j].byClass;
    data.push({
      type: 'scatter', mode: 'markers', name: 'median |r| (bars: quartiles)', legendgroup: 'median', showlegend: j === 0,
      x: byClass.map((c) => String(c.label)), y: byClass.map((c) => c.lengthQuartiles[1]),
      error_y: { type: 'data', symmetric: false, array: byClass.map((c) => c.lengthQuartiles[2] - c.lengthQuartiles[1]), arrayminus: byClass.map((c) => c.lengthQuartiles[1] - c.lengthQuartiles[0]), thickness: 1.5, width: 5 },
      marker: { color: byClass.map((c) => CLASS_COLORS[c.label % 10]), size: 10, symbol: 'diamond' }, xaxis: box.xaxis, yaxis: box.yaxis,
    });
  });
  return {
    data,
    layout: {
      title: { text: opts.title ?? `Pooled qubits in the Bloch ball (${b.images} images × ${b.patchesPerImage} patches; blank patches left out)`, x: 0.5, xanchor: 'center', font: { size: 15 } },
      font: { family: 'Arial, Helvetica, sans-serif', size: 13 },
      ...subplotAxes(cells, (cell) => (cell.col === 0
        ? { range: [-1.1, 1.1], title: { text: 'x = ⟨X⟩' }, zeroline: true, zerolinecolor: '#ddd', gridcolor: '#f0f0f0', constrain: 'domain' }
        : { type: 'category', title: { text: 'digit class' } }), (cell) => (cell.col === 0
        ? { range: [-1.1, 1.1], title: { text: 'z = ⟨Z⟩' }, scaleanchor: cell.xaxis, zeroline: true, zerolinecolor: '#ddd', gridcolor: '#f0f0f0', constrain: 'domain' }
        : { range: [0, 1.05], title: { text: '|r| (1 = pure)' }, gridcolor: '#e5e5e5' })),
      annotations,
      legend: { x: 1.02, xanchor: 'left', y: 1, yanchor: 'top', font: { size: 12 } },
      width: 1000, height: 430 * rows + 110, margin: { l: 70, r: 30, t: 90, b: 80 }, plot_bgcolor: 'white',
    },
  };
}
