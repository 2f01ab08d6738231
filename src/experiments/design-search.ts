/**
 * The design search of issue 13 item 4: hybrid designs (and the same-shape control of each, built by the
 * same function) trained on official MNIST's training part and scored on its validation split only — the
 * test set is never read here. One table of every candidate, written atomically after each one so an
 * interrupted search resumes candidate by candidate.
 *
 * Stages: 'screen' (a stratified subset of the training part, a few epochs) and 'long' (more images and
 * epochs for the chosen few). Quantum gradients by backprop (exact, the fastest; the suite's parameter-shift
 * twin shows the same training). Each entry also counts the quantum angles whose gradient is zero on a
 * batch (idle angles: they would not affect the output and must not be counted as parameters).
 */
import * as fs from 'fs';
import { tf } from '../backend';
import { loadMnistOfficial, type ImageDataset } from '../data';
import {
  HYBRID_FRONT_BN, HYBRID_FRONT_CONV, HYBRID_FRONT_CONV4, buildHybridDesign, parameterSplit, resolveModelOptions, type HybridDesign,
} from '../models';
import { findQuantumLayers, train, writeFileAtomic } from '../train';
import { readFormattedJson } from '../util';

/** One candidate of the search: a name and a design. */
export interface DesignCandidate {
  name: string;
  /** What it tests, in a few words. */
  note: string;
  design: HybridDesign;
}

const RA = 'real-amplitudes' as const;
/** hybrid-strong's head: conv 3×3×12 → pool → conv 3×3×24 → pool → flatten → dropout 0.3 → softmax. */
const STRONG_HEAD = Object.freeze({ head: Object.freeze([12, 24]), dropout: 0.3 });
/** A BN head with global average pooling (conv → BN → ReLU → pool, ×2; GAP → softmax). */
const BN_GAP = Object.freeze({ head: Object.freeze([16, 32]), headNorm: true, readout: 'global-average' as const });
/** Front: conv 3×3×1 → batch-norm → sigmoid. */
const CONV3_BN = Object.freeze({ conv: Object.freeze({ channels: 1, kernel: 3 }), norm: true });

/** The search space: every candidate the search trains (each also as its same-shape control), in run order. */
export const DESIGN_CANDIDATES: readonly DesignCandidate[] = Object.freeze([
  { name: 'strong', note: 'hybrid-strong as in the zoo (HEA ×2, no front)', design: { resize: null, filters: 1, depth: 2, ...STRONG_HEAD } },
  { name: 'strong-ra', note: 'hybrid-strong with RealAmplitudes ×2 (every angle acts)', design: { resize: null, filters: 1, ansatz: RA, depth: 2, ...STRONG_HEAD } },
  { name: 'bn-gap', note: 'no front; BN head with global average (16, 32 channels)', design: { resize: null, filters: 1, ansatz: RA, depth: 2, ...BN_GAP } },
  { name: 'front-bn', note: 'front: batch-norm → sigmoid (zoo: hybrid-front-bn)', design: HYBRID_FRONT_BN },
  { name: 'front-conv3', note: 'front: conv 3×3×1 → BN → sigmoid, then the 2×2/2 kernel (zoo: hybrid-front-conv)', design: HYBRID_FRONT_CONV },
  { name: 'front-conv3-f2', note: 'front conv 3×3×1 + BN, 2 quantum filters (8 channels)', design: { ...HYBRID_FRONT_CONV, filters: 2 } },
  { name: 'front-conv3s2-w1', note: 'front: conv 3×3/2×4 → BN → sigmoid, kernel reads 1×1×4 (4 qubits) (zoo: hybrid-front-conv4)', design: HYBRID_FRONT_CONV4 },
  { name: 'front-conv3-reup3', note: 'front conv 3×3×1 + BN, RealAmplitudes ×3 with re-uploading', design: { resize: null, front: CONV3_BN, filters: 1, ansatz: RA, depth: 3, reupload: true, ...STRONG_HEAD } },
  { name: 'front-conv3-hea3', note: 'front conv 3×3×1 + BN, HEA ×3 (its last RZ layer is idle)', design: { resize: null, front: CONV3_BN, filters: 1, depth: 3, ...STRONG_HEAD } },
  { name: 'win3-dense', note: 'front BN, 3×3/2 window dense-encoded in 5 qubits', design: { resize: null, front: { norm: true }, window: { size: 3, stride: 2, encoding: 'dense' }, filters: 1, ansatz: RA, depth: 2, ...STRONG_HEAD } },
  { name: 'front-conv3-kpool', note: 'front conv 3×3×1 + BN, 2 filters pooled 4→2 qubits in-kernel (Hur; its CRZ is idle)', design: { resize: null, front: CONV3_BN, filters: 2, depth: 2, pooling: { kind: 'in-kernel', block: 'hur', keep: 2 }, ...STRONG_HEAD } },
  { name: 'front-bn-qpool', note: 'front BN, kernel 2×2/1 then QuantumPooling 2×2 (Hur; spatial)', design: { resize: null, front: { norm: true }, filters: 1, ansatz: RA, depth: 2, pooling: { kind: 'spatial', block: 'hur' }, ...STRONG_HEAD } },
] satisfies DesignCandidate[]);

/** What the control of a design depends on (its quantum-only settings left out): equal keys, equal control models. */
export function controlKey(design: HybridDesign): string {
  const { ansatz, depth, reupload, init, ...rest } = design;
  void ansatz; void depth; void reupload; void init;
  const pooling = rest.pooling?.kind === 'in-kernel' ? { kind: 'in-kernel', keep: rest.pooling.keep } : rest.pooling?.kind === 'spatial' ? { kind: 'spatial' } : null;
  const window = { size: rest.window?.size ?? 2, stride: rest.window?.stride, encoding: rest.window?.encoding ?? 'ry' };
  return canonicalJson({ ...rest, pooling, window });
}

/** JSON with object keys sorted at every level (undefined values left out), so equal data give equal text. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Settings of one stage. */
export interface SearchStage {
  name: string;
  /** Images of the training part used (a stratified prefix of the 55,000). */
  trainSize: number;
  epochs: number;
  seeds: readonly number[];
}

/** The stages: a screen of every candidate, and longer runs of the chosen few. */
export const SEARCH_STAGES: Readonly<Record<'screen' | 'long', SearchStage>> = Object.freeze({
  screen: { name: 'screen', trainSize: 10000, epochs: 3, seeds: [0] },
  long: { name: 'long', trainSize: 20000, epochs: 3, seeds: [0] },
});

/** One trained candidate (or control) in the table. */
export interface SearchEntry {
  key: string;
  stage: string;
  candidate: string;
  /** true: the hybrid; false: its same-shape control. */
  quantum: boolean;
  seed: number;
  design: HybridDesign;
  parameters: { quantum: number; classical: number; total: number };
  /** Quantum angles with a zero gradient on a batch of 64 training images (0 when every angle acts). */
  idleQuantum: number;
  trainSize: number;
  validationSize: number;
  epochs: number;
  /** Validation accuracy after each epoch. */
  valAccuracy: number[];
  bestValAccuracy: number;
  bestEpoch: number;
  /** Training images per second (training passes only). */
  imagesPerSecond: number;
  trainSeconds: number;
  /** For a control equal to an earlier candidate's control (same controlKey): that entry's key; its numbers are copied, not retrained. */
  sameAs?: string;
}

/** The results file. */
export interface SearchTable {
  format: 'qkc-design-search/1';
  dataset: string;
  note: string;
  entries: SearchEntry[];
}

/** Key of an entry: stage, candidate, hybrid or control, seed. */
export const entryKey = (stage: string, candidate: string, quantum: boolean, seed: number): string =>
  `${stage}/${candidate}/${quantum ? 'hybrid' : 'control'}/s${seed}`;

/** Reads a table (or a fresh one when the file is missing). */
export function readSearchTable(file: string): SearchTable {
  if (!fs.existsSync(file)) {
    return {
      format: 'qkc-design-search/1', dataset: 'mnist-official (validation split: 5,000 carved from the 60,000 training images)',
      note: 'validation accuracy only; the test set is never read by the search', entries: [],
    };
  }
  return readFormattedJson<SearchTable>(file, 'qkc-design-search/1');
}

/**
 * Quantum angles whose loss gradient on `x`, `y` is below 1e-4 × the largest one: idle angles (e.g. an RZ
 * right before the read-out in the Z basis) come out at float32 rounding, 1e-9 to 1e-11, while acting
 * angles of the zoo's kernels stay above 1e-6 of a typical 1e-3 (measured on 64 training images).
 */
export function idleQuantumAngles(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): number {
  const vars = findQuantumLayers(model).flatMap((l) => l.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val));
  if (vars.length === 0) return 0;
  const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: false }) as tf.Tensor) as tf.Scalar, vars);
  const all = vars.flatMap((v) => Array.from(grads[v.name].abs().dataSync()));
  tf.dispose(grads);
  const largest = Math.max(...all);
  return all.filter((g) => g < 1e-4 * largest).length;
}

/** Options of `runDesignSearch`. */
export interface DesignSearchOptions {
  stage: SearchStage;
  /** Candidate names to train (default all). */
  candidates?: readonly string[];
  /** Train the controls too (default true). */
  controls?: boolean;
  /** Results file (read first: entries present are skipped). */
  file: string;
  log?: (line: string) => void;
}

/** Trains every (candidate, hybrid/control, seed) of the stage not yet in the file, writing the table after each. */
export async function runDesignSearch(opts: DesignSearchOptions): Promise<SearchTable> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const names = opts.candidates ?? DESIGN_CANDIDATES.map((c) => c.name);
  const chosen = names.map((n) => {
    const c = DESIGN_CANDIDATES.find((d) => d.name === n);
    if (!c) throw new Error(`candidates: unknown candidate '${n}' (expected some of: ${DESIGN_CANDIDATES.map((d) => d.name).join(', ')})`);
    return c;
  });
  const { stage } = opts;
  const split = loadMnistOfficial({ trainSize: stage.trainSize });
  const validation = split.validation as ImageDataset;
  const table = readSearchTable(opts.file);
  const jobs = chosen.flatMap((c) => stage.seeds.flatMap((seed) => [true, ...(opts.controls === false ? [] : [false])].map((quantum) => ({ c, seed, quantum }))));
  const todo = jobs.filter((j) => !table.entries.some((e) => e.key === entryKey(stage.name, j.c.name, j.quantum, j.seed)));
  log(`design search, stage '${stage.name}': ${split.train.size} training / ${validation.size} validation images, ${stage.epochs} epochs; ${jobs.length - todo.length} of ${jobs.length} done`);
  const started = Date.now();
  for (const [k, { c, seed, quantum }] of todo.entries()) {
    const label = `${c.name} ${quantum ? 'hybrid' : 'control'} s${seed}`;
    const key = entryKey(stage.name, c.name, quantum, seed);
    const twin = quantum ? undefined : table.entries.find((e) => e.stage === stage.name && !e.quantum && e.seed === seed && !e.sameAs
      && controlKey(e.design) === controlKey(c.design));
    if (twin) {
      table.entries.push({ ...twin, key, candidate: c.name, design: c.design, sameAs: twin.key });
      await writeFileAtomic(opts.file, JSON.stringify(table, null, 1) + '\n');
      log(`[${k + 1}/${todo.length}] ${label}: the same model as ${twin.key} (val ${(100 * twin.bestValAccuracy).toFixed(2)} %), not retrained`);
      continue;
    }
    const model = buildHybridDesign(c.name, c.design, quantum)(seed, resolveModelOptions({ diffMethod: 'backprop' }, c.name));
    const idleQuantum = tf.tidy(() => {
      const { xs, ys } = split.train.tensorsAt(Array.from({ length: 64 }, (_, i) => i));
      return idleQuantumAngles(model, xs, ys);
    });
    const run = await train(model, { train: split.train, validation }, {
      epochs: stage.epochs, batchSize: 32, learningRate: 3e-3, quantumLearningRate: 0.01, diffMethod: 'backprop', seed, progress: 'none',
    });
    const acc = run.history.map((h) => h.val_accuracy ?? NaN);
    const best = acc.reduce((b, a, i) => (a > acc[b] ? i : b), 0);
    const trainSeconds = run.history.reduce((a, h) => a + h.epoch_time_s, 0);
    const entry: SearchEntry = {
      key, stage: stage.name, candidate: c.name, quantum, seed, design: c.design,
      parameters: parameterSplit(model), idleQuantum, trainSize: split.train.size, validationSize: validation.size, epochs: stage.epochs,
      valAccuracy: acc, bestValAccuracy: acc[best], bestEpoch: best + 1,
      imagesPerSecond: (split.train.size * stage.epochs) / trainSeconds, trainSeconds,
    };
    model.dispose();
    table.entries.push(entry);
    await writeFileAtomic(opts.file, JSON.stringify(table, null, 1) + '\n');
    const elapsed = (Date.now() - started) / 1000;
    const eta = (elapsed / (k + 1)) * (todo.length - k - 1);
    log(`[${k + 1}/${todo.length}] ${label}: val ${(100 * acc[acc.length - 1]).toFixed(2)} % (best ${(100 * acc[best]).toFixed(2)} @${best + 1}), ` +
      `${entry.parameters.total} params (${entry.parameters.quantum} quantum, ${idleQuantum} idle), ${entry.imagesPerSecond.toFixed(0)} img/s; ETA ${Math.round(eta)} s`);
  }
  return table;
}

/** The table as Markdown: one row per (stage, candidate, seed), hybrid beside its same-shape control (validation accuracy, best epoch). */
export function searchTableMarkdown(table: SearchTable): string {
  const pct = (e: SearchEntry | undefined) => (e ? `${(100 * e.bestValAccuracy).toFixed(2)} (${e.bestEpoch}/${e.epochs})` : '—');
  const lines = [
    '| stage | candidate | what it tests | hybrid val % (best epoch) | control val % | Δ points | hybrid params (quantum, idle) | control params | hybrid img/s | control img/s |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const rows = table.entries.filter((e) => e.quantum);
  for (const h of rows) {
    const c = table.entries.find((e) => !e.quantum && e.stage === h.stage && e.candidate === h.candidate && e.seed === h.seed);
    const note = DESIGN_CANDIDATES.find((d) => d.name === h.candidate)?.note ?? '';
    const delta = c ? (100 * (h.bestValAccuracy - c.bestValAccuracy)).toFixed(2) : '—';
    lines.push(`| ${h.stage} (${h.trainSize} img, seed ${h.seed}) | ${h.candidate} | ${note} | ${pct(h)} | ${pct(c)} | ${delta} | ` +
      `${h.parameters.total} (${h.parameters.quantum}, ${h.idleQuantum}) | ${c ? c.parameters.total : '—'} | ${h.imagesPerSecond.toFixed(0)} | ${c ? c.imagesPerSecond.toFixed(0) : '—'} |`);
  }
  return lines.join('\n') + '\n';
}
