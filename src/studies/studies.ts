/**
 * How a trained hybrid model holds up when its quantum layers are run as hardware would run them:
 *
 * - `shotsStudy`: expectations estimated from a finite number of shots per circuit. Test accuracy per
 *   shot count, and the loss gradient w.r.t. the quantum angles (parameter-shift with shots, the only
 *   method hardware has) against the exact gradient: relative error ‖g_N − g‖/‖g‖ and cosine
 *   similarity, over repeated estimates. Shot noise is unbiased with a standard deviation ∝ 1/√N.
 * - `noiseStudy`: a noise channel after every gate (density-matrix simulation). Test accuracy per noise
 *   level, and the gradient of the noisy model (backprop through the density simulation) against the
 *   noiseless one: norm ratio (depolarizing noise shrinks expectations, and with them gradients) and
 *   cosine similarity (whether it still points the same way).
 *
 * The model is trained noiselessly and never changed: each setting runs on a copy (withQuantumSettings).
 */
import { tf } from '../backend';
import type { ImageDataset } from '../data';
import { evaluateModel } from '../train';
import type { KernelNoise } from '../qkc';
import type { ChannelName, DiffMethod } from '../sim';
import { findQuantumLayers } from '../train';
import { crossEntropySum, resolveOutputKind } from '../train/loss';
import { type QuantumSettings, withQuantumSettings } from './quantum-settings';

/** Accuracy and mean loss on the test images. */
export interface Scores { accuracy: number; loss: number }

/** One shot count of a shots study. */
export interface ShotsRow {
  shots: number;
  accuracy: number;
  loss: number;
  /** Mean and std over repeats of ‖g_N − g‖ / ‖g‖. */
  gradRelError: number;
  gradRelErrorStd: number;
  /** Mean cosine similarity between g_N and g. */
  gradCosine: number;
}

/** What `shotsStudy` measured. */
export interface ShotsStudy {
  model: string;
  testSize: number;
  gradientBatch: number;
  repeats: number;
  exact: Scores;
  /** ‖g‖ of the exact gradient w.r.t. the quantum angles. */
  exactGradNorm: number;
  rows: ShotsRow[];
}

/** One noise level of a noise study. */
export interface NoiseRow {
  p: number;
  accuracy: number;
  loss: number;
  /** ‖g_p‖ / ‖g_0‖. */
  gradNormRatio: number;
  /** Cosine similarity between g_p and g_0. */
  gradCosine: number;
}

/** What `noiseStudy` measured. */
export interface NoiseStudy {
  model: string;
  channel: ChannelName;
  testSize: number;
  gradientBatch: number;
  exact: Scores;
  rows: NoiseRow[];
}

/** Options shared by both studies. */
export interface StudyOptions {
  /** Images of `test` used for accuracy (default all). */
  testSize?: number;
  /** Images the gradient is taken over (default 32, the training batch size). */
  gradientBatch?: number;
  /** Evaluation batch size (default 100). */
  batchSize?: number;
}

function score(model: tf.LayersModel, test: ImageDataset, batchSize: number): Scores {
  const e = evaluateModel(model, test, { batchSize });
  return { accuracy: e.accuracy, loss: e.loss };
}

/** The gradient of the mean loss on the first `n` test images w.r.t. every quantum angle (inference mode), flattened. */
function quantumGradient(model: tf.LayersModel, test: ImageDataset, n: number, diffMethod: DiffMethod): Float64Array {
  const layers = findQuantumLayers(model);
  const previous = layers.map((l) => l.diffMethod);
  layers.forEach((l) => { l.diffMethod = diffMethod; });
  try {
    const vars = layers.flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
    const kind = resolveOutputKind(model, 'auto');
    const positions = Int32Array.from({ length: n }, (_, i) => i);
    const { xs, ys } = test.tensorsAt(positions, { oneHot: false });
    const labels = tf.tensor1d(Int32Array.from(positions, (i) => test.labels[i]), 'int32');
    try {
      const { value, grads } = tf.variableGrads(() =>
        // Inference mode: dropout off, so that two gradients differ only by the quantum settings.
        tf.div(crossEntropySum(model.apply(xs, { training: false }) as tf.Tensor, labels, kind), n) as tf.Scalar, vars);
      const flat = new Float64Array(vars.reduce((a, v) => a + v.size, 0));
      let k = 0;
      for (const v of vars) {
        const g = grads[v.name];
        for (const x of g.dataSync()) flat[k++] = x;
      }
      tf.dispose([value, ...Object.values(grads)]);
      return flat;
    } finally {
      tf.dispose([xs, ys, labels]);
    }
  } finally {
    layers.forEach((l, i) => { l.diffMethod = previous[i]; });
  }
}

function norm(a: Float64Array): number {
  let s = 0;
  for (const x of a) s += x * x;
  return Math.sqrt(s);
}

function compare(g: Float64Array, ref: Float64Array): { relError: number; cosine: number; ratio: number } {
  let diff = 0, dot = 0;
  for (let i = 0; i < g.length; i++) { diff += (g[i] - ref[i]) ** 2; dot += g[i] * ref[i]; }
  const ng = norm(g), nr = norm(ref);
  return { relError: Math.sqrt(diff) / nr, cosine: ng === 0 || nr === 0 ? 0 : dot / (ng * nr), ratio: ng / nr };
}

function checkList(values: readonly number[], name: string, ok: (v: number) => boolean, what: string): void {
  if (!Array.isArray(values) || values.length === 0 || !values.every(ok)) {
    throw new Error(`${name}: expected a non-empty list of ${what}, got ${JSON.stringify(values)}`);
  }
}

/** `fn` of a copy of `model` with other quantum settings; the copy is freed afterwards. */
async function withCopy<T>(model: tf.LayersModel, settings: QuantumSettings, fn: (copy: tf.LayersModel) => T): Promise<T> {
  const copy = await withQuantumSettings(model, settings);
  try {
    return fn(copy);
  } finally {
    copy.dispose();
  }
}

function sizes(test: ImageDataset, o: StudyOptions): { test: ImageDataset; batch: number; evalBatch: number } {
  const n = o.testSize ?? test.size;
  if (!Number.isInteger(n) || n < 1 || n > test.size) throw new Error(`testSize: expected an integer in [1, ${test.size}], got ${n}`);
  const batch = o.gradientBatch ?? 32;
  if (!Number.isInteger(batch) || batch < 1 || batch > n) throw new Error(`gradientBatch: expected an integer in [1, ${n}], got ${batch}`);
  return { test: n < test.size ? test.stratifiedSubset(n) : test, batch, evalBatch: o.batchSize ?? 100 };
}

/** See the file comment. `shots` e.g. [10, 100, 1000]; `repeats` gradient estimates per count (default 5). */
export async function shotsStudy(model: tf.LayersModel, test: ImageDataset, options: StudyOptions & { shots: number[]; repeats?: number }): Promise<ShotsStudy> {
  checkList(options.shots, 'shots', (v) => Number.isInteger(v) && v >= 1, 'positive integers');
  const repeats = options.repeats ?? 5;
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`repeats: expected a positive integer, got ${repeats}`);
  const s = sizes(test, options);
  const { scores: exact, gradient: g0 } = await withCopy(model, { shots: null }, (m) => ({
    scores: score(m, s.test, s.evalBatch), gradient: quantumGradient(m, s.test, s.batch, 'adjoint'),
  }));
  const rows: ShotsRow[] = [];
  for (const shots of options.shots) {
    rows.push(await withCopy(model, { shots }, (copy) => {
      const sc = score(copy, s.test, s.evalBatch);
      const errs: number[] = [], cos: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const c = compare(quantumGradient(copy, s.test, s.batch, 'parameter-shift'), g0);
        errs.push(c.relError);
        cos.push(c.cosine);
      }
      const mean = errs.reduce((a, b) => a + b, 0) / repeats;
      const sd = repeats > 1 ? Math.sqrt(errs.reduce((a, e) => a + (e - mean) ** 2, 0) / (repeats - 1)) : 0;
      return { shots, accuracy: sc.accuracy, loss: sc.loss, gradRelError: mean, gradRelErrorStd: sd, gradCosine: cos.reduce((a, b) => a + b, 0) / repeats };
    }));
  }
  return { model: model.name, testSize: s.test.size, gradientBatch: s.batch, repeats, exact, exactGradNorm: norm(g0), rows };
}

/** See the file comment. `levels`: error probabilities of `channel` (default 'depolarizing') after every gate. */
export async function noiseStudy(model: tf.LayersModel, test: ImageDataset, options: StudyOptions & { levels: number[]; channel?: ChannelName }): Promise<NoiseStudy> {
  checkList(options.levels, 'levels', (v) => v >= 0 && v <= 1, 'probabilities in [0, 1]');
  const channel = options.channel ?? 'depolarizing';
  const s = sizes(test, options);
  const { scores: exact, gradient: g0 } = await withCopy(model, { shots: null, noise: null }, (m) => ({
    scores: score(m, s.test, s.evalBatch), gradient: quantumGradient(m, s.test, s.batch, 'backprop'),
  }));
  const rows: NoiseRow[] = [];
  for (const p of options.levels) {
    const noise: KernelNoise = { channels: [{ channel, p }] };
    rows.push(await withCopy(model, { shots: null, noise }, (copy) => {
      const sc = score(copy, s.test, s.evalBatch);
      const c = compare(quantumGradient(copy, s.test, s.batch, 'backprop'), g0);
      return { p, accuracy: sc.accuracy, loss: sc.loss, gradNormRatio: c.ratio, gradCosine: c.cosine };
    }));
  }
  return { model: model.name, channel, testSize: s.test.size, gradientBatch: s.batch, exact, rows };
}
