/**
 * Analysis 1, entanglement at pooling: for every patch, the von Neumann entropy of the kept qubits —
 * before the pool block (the kernel's entanglement across the kept | dropped cut) and after it (what the
 * kept qubits carry away entangled with the discarded ones) — and the purity of the pooled state. The
 * whole patch state is pure, so S(kept) is exactly the entanglement entropy between kept and dropped
 * qubits. Results are per patch (a spatial map per image), per image and per digit class.
 *
 * "Blank" patches (every window value 0, so the encoded state is |0…0⟩) all give the same entropy, a
 * constant of the kernel; the per-image "ink" statistics leave them out so that digit shape, not the
 * amount of background, drives the class distributions.
 */
import { tf } from '../backend';
import { entanglementEntropy, purity, vonNeumannEntropy } from '../inspect';
import { CaptureStatesOptions, CaptureTarget, PatchStates, captureChunks } from './capture';
import type { PoolInfo } from './conv-pooling';
import { AnalysisImages, describeImages, imageLabels } from './images';
import { JsonSummary, finiteOrNull, jsonSummary, mean } from './stats';

/** Options of `entanglementMap`: capture options plus labels, log base and examples. */
export interface EntanglementMapOptions extends CaptureStatesOptions {
  /** Class labels of the images (taken from an ImageDataset when not given). */
  labels?: ArrayLike<number>;
  /** Logarithm base of the entropies (default 2: bits). */
  base?: number;
  /** Images whose full maps and pixels are kept for figures (default: the first image of each class, or the first 8). */
  examples?: number[];
  /** Keep the per-patch arrays in the result (default true; JSON writers drop them). */
  keepPatches?: boolean;
}

/** Per-patch values, rows in (image, row, column[, channel]) order. */
export interface PatchEntanglement {
  /** S(kept) after the pool block. */
  entropy: number[];
  /** S(kept) of the pre-pool state (across the same cut). */
  prePoolEntropy: number[];
  /** Purity tr ρ² of the pooled reduced state. */
  purity: number[];
  /** True for blank patches (encoded state |0…0⟩). */
  blank: boolean[];
}

/** A kept example: pixels of the model's input image and its per-patch maps. */
export interface EntanglementExample {
  index: number;
  label: number | null;
  /** First channel of the image, row-major [H·W]. */
  pixels: number[];
  entropy: number[];
  prePoolEntropy: number[];
  purity: number[];
}

/** Per-class summaries of the per-image ink means. */
export interface ClassEntanglement {
  label: number;
  images: number;
  entropy: JsonSummary;
  prePoolEntropy: JsonSummary;
  purity: JsonSummary;
}

/** What `entanglementMap` returns (plain, JSON-ready data). */
export interface EntanglementMap {
  kind: 'entanglement-map';
  /** Unit of every entropy: 'bits', 'nats' or 'log base b'. */
  unit: string;
  layer: string;
  layerClass: 'QuantumConv2D' | 'QuantumPooling';
  pool: PoolInfo;
  /** Patch grid of one image: [h, w] (QuantumConv2D) or [h, w, channels] (QuantumPooling). */
  cells: number[];
  /** Height and width of the input images. */
  imageShape: [number, number];
  count: number;
  labels: number[] | null;
  /** log(2^kept): the largest possible entropy of the pooled state. */
  maxEntropy: number;
  /** Entropies of a blank patch after / before pooling (null when no patch was blank). */
  blank: { entropy: number | null; prePoolEntropy: number | null; purity: number | null };
  /** Over all non-blank patches of all images. */
  ink: { patches: number; entropy: JsonSummary; prePoolEntropy: JsonSummary; purity: JsonSummary };
  /** One value per image: means over all patches, and over its non-blank patches (null when it has none). */
  perImage: { entropy: number[]; inkEntropy: (number | null)[]; inkPrePoolEntropy: (number | null)[]; inkPurity: (number | null)[]; inkFraction: number[] };
  byClass: ClassEntanglement[];
  /** Mean per-patch maps of each class. */
  classMaps: { label: number; entropy: number[]; prePoolEntropy: number[] }[];
  examples: EntanglementExample[];
  patches: PatchEntanglement | null;
}

/** The unit name of a log base. */
export function entropyUnit(base: number): string {
  return base === 2 ? 'bits' : base === Math.E ? 'nats' : `log base ${base}`;
}

/** Which encoded states are |0…0⟩ (a blank window). */
function blankRows(c: PatchStates): boolean[] {
  const p0 = tf.tidy(() => tf.add(tf.square(tf.slice(c.encoded.re, [0, 0], [-1, 1])), tf.square(tf.slice(c.encoded.im, [0, 0], [-1, 1]))).dataSync());
  return Array.from(p0, (p) => p > 1 - 1e-6);
}

/** Default examples: the first image of each class (ascending class), else the first 8 images. */
function defaultExamples(labels: number[] | null, count: number): number[] {
  if (!labels) return Array.from({ length: Math.min(8, count) }, (_, i) => i);
  const first = new Map<number, number>();
  labels.forEach((l, i) => { if (!first.has(l)) first.set(l, i); });
  return [...first.entries()].sort((a, b) => a[0] - b[0]).slice(0, 10).map(([, i]) => i);
}

/**
 * Entropy between kept and dropped qubits at pooling, per patch, for every image (streamed in chunks).
 * For a QuantumConv2D the pooling is `options.pool` (default: appended 'trace-out', i.e. the kernel
 * state's own kept | dropped entanglement); a QuantumPooling layer pools by itself.
 */
export async function entanglementMap(target: CaptureTarget, images: AnalysisImages, options: EntanglementMapOptions = {}): Promise<EntanglementMap> {
  const fn = 'entanglementMap';
  const { count, shape } = describeImages(images, fn);
  const labels = imageLabels(images, options.labels, fn);
  const base = options.base ?? 2;
  const examples = options.examples ?? defaultExamples(labels, count);
  examples.forEach((i) => {
    if (!Number.isInteger(i) || i < 0 || i >= count) throw new Error(`${fn}(options.examples): expected image indices in [0, ${count - 1}], got ${i}`);
  });
  const patches: PatchEntanglement = { entropy: [], prePoolEntropy: [], purity: [], blank: [] };
  const pixels = new Map<number, number[]>();
  let info: { layer: string; layerClass: PatchStates['layerClass']; pool: PoolInfo; cells: number[] } | null = null;
  for await (const c of captureChunks(target, images, options)) {
    info ??= { layer: c.layer, layerClass: c.layerClass, pool: c.pool, cells: c.grid.slice(1) };
    const post = vonNeumannEntropy(c.pooled, { base });
    const pre = entanglementEntropy(c.prePool, c.pool.kept, { base });
    const pur = purity(c.pooled);
    const blank = blankRows(c);
    for (let r = 0; r < post.length; r++) {
      patches.entropy.push(post[r]);
      patches.prePoolEntropy.push(pre[r]);
      patches.purity.push(pur[r]);
      patches.blank.push(blank[r]);
    }
    for (const i of examples) {
      if (i >= c.offset && i < c.offset + c.count) {
        pixels.set(i, tf.tidy(() => Array.from(tf.slice(c.images, [i - c.offset, 0, 0, 0], [1, -1, -1, 1]).dataSync())));
      }
    }
  }
  if (!info) throw new Error(`${fn}(images): expected at least one image, got 0`);
  const cellCount = info.cells.reduce((a, b) => a * b, 1);
  const at = <T>(arr: T[], i: number): T[] => arr.slice(i * cellCount, (i + 1) * cellCount);
  const perImage: EntanglementMap['perImage'] = { entropy: [], inkEntropy: [], inkPrePoolEntropy: [], inkPurity: [], inkFraction: [] };
  for (let i = 0; i < count; i++) {
    const ink = at(patches.blank, i).map((b) => !b);
    const pick = (arr: number[]) => at(arr, i).filter((_, k) => ink[k]);
    const inkN = ink.filter(Boolean).length;
    perImage.entropy.push(mean(at(patches.entropy, i)));
    perImage.inkEntropy.push(inkN ? mean(pick(patches.entropy)) : null);
    perImage.inkPrePoolEntropy.push(inkN ? mean(pick(patches.prePoolEntropy)) : null);
    perImage.inkPurity.push(inkN ? mean(pick(patches.purity)) : null);
    perImage.inkFraction.push(inkN / cellCount);
  }
  const firstBlank = patches.blank.indexOf(true);
  const inkIdx = patches.blank.map((b, r) => (b ? -1 : r)).filter((r) => r >= 0);
  const nums = (xs: (number | null)[]) => xs.map((x) => (x === null ? NaN : x));
  const classes = labels ? [...new Set(labels)].sort((a, b) => a - b) : [];
  const byClass: ClassEntanglement[] = classes.map((label) => {
    const idx = labels!.map((l, i) => (l === label ? i : -1)).filter((i) => i >= 0);
    return {
      label, images: idx.length,
      entropy: jsonSummary(idx.map((i) => nums(perImage.inkEntropy)[i])),
      prePoolEntropy: jsonSummary(idx.map((i) => nums(perImage.inkPrePoolEntropy)[i])),
      purity: jsonSummary(idx.map((i) => nums(perImage.inkPurity)[i])),
    };
  });
  const classMaps = classes.map((label) => {
    const idx = labels!.map((l, i) => (l === label ? i : -1)).filter((i) => i >= 0);
    const avg = (arr: number[]) => Array.from({ length: cellCount }, (_, k) => mean(idx.map((i) => arr[i * cellCount + k])));
    return { label, entropy: avg(patches.entropy), prePoolEntropy: avg(patches.prePoolEntropy) };
  });
  const keptQubits = info.pool.kept.length;
  return {
    kind: 'entanglement-map', unit: entropyUnit(base), layer: info.layer, layerClass: info.layerClass, pool: info.pool,
    cells: info.cells, imageShape: [shape[0], shape[1]], count, labels,
    maxEntropy: (keptQubits * Math.log(2)) / Math.log(base),
    blank: firstBlank < 0 ? { entropy: null, prePoolEntropy: null, purity: null }
      : { entropy: patches.entropy[firstBlank], prePoolEntropy: patches.prePoolEntropy[firstBlank], purity: patches.purity[firstBlank] },
    ink: {
      patches: inkIdx.length,
      entropy: jsonSummary(inkIdx.map((r) => patches.entropy[r])),
      prePoolEntropy: jsonSummary(inkIdx.map((r) => patches.prePoolEntropy[r])),
      purity: jsonSummary(inkIdx.map((r) => patches.purity[r])),
    },
    perImage, byClass, classMaps: classMaps.map((m) => ({ label: m.label, entropy: m.entropy.map((v) => finiteOrNull(v) ?? 0), prePoolEntropy: m.prePoolEntropy.map((v) => finiteOrNull(v) ?? 0) })),
    examples: examples.map((i) => ({
      index: i, label: labels ? labels[i] : null, pixels: pixels.get(i) ?? [],
      entropy: at(patches.entropy, i), prePoolEntropy: at(patches.prePoolEntropy, i), purity: at(patches.purity, i),
    })),
    patches: options.keepPatches === false ? null : patches,
  };
}

/** The map without its per-patch arrays (what result files store). */
export function compactEntanglementMap(map: EntanglementMap): EntanglementMap {
  return { ...map, patches: null };
}
