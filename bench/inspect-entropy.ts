/**
 * Bench: entanglement entropy of the 2|2 bipartition of 196,000 random 4-qubit states (the patch count of
 * 1,000 MNIST images × 196 patches), against baselines timed in the same run:
 *   - purity of the same reduced states (tf only, no eigen-solver): the floor any entropy must pay,
 *   - a naive per-state loop (one tf call chain per state), timed on a sample and scaled up.
 * Run: node -r ts-node/register/transpile-only bench/inspect-entropy.ts [nStates]
 */
import { ready, tf } from '../src/backend';
import type { StateBatch } from '../src/sim/state';
import { eigvalsh, purity, reducedDensityMatrix, vonNeumannEntropy } from '../src/inspect';

const REPEATS = 3;
const NAIVE_SAMPLE = 300;

/** Median wall time (ms) of `fn` over REPEATS runs after one warm-up, plus its last result. */
function time<T>(fn: () => T): { ms: number; result: T } {
  let result = fn();
  const times: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], result };
}

/** Haar-random normalised states [n, 16] (complex Gaussian rows divided by their norms). */
function randomStates(n: number, seed: number): StateBatch {
  return tf.tidy(() => {
    const re = tf.randomNormal([n, 16], 0, 1, 'float32', seed);
    const im = tf.randomNormal([n, 16], 0, 1, 'float32', seed + 1);
    const norm = tf.sqrt(tf.sum(tf.add(tf.square(re), tf.square(im)), 1, true));
    return { re: tf.div(re, norm) as tf.Tensor2D, im: tf.div(im, norm) as tf.Tensor2D, nQubits: 4 };
  });
}

/** Page's mean entanglement entropy (bits) of a Haar state split into dimensions m ≤ n. */
function pageEntropy(m: number, n: number): number {
  let s = 0;
  for (let k = n + 1; k <= m * n; k++) s += 1 / k;
  return (s - (m - 1) / (2 * n)) / Math.LN2;
}

export async function main(nStates = 196_000): Promise<void> {
  const info = await ready();
  const states = randomStates(nStates, 42);
  const keep = [0, 1];

  const rdm = time(() => {
    const r = reducedDensityMatrix(states, keep);
    r.re.dataSync();
    r.im.dataSync();
    return r;
  });
  const eig = time(() => eigvalsh(rdm.result));
  const pur = time(() => {
    const r = reducedDensityMatrix(states, keep);
    const p = purity(r);
    r.re.dispose();
    r.im.dispose();
    return p;
  });
  const ent = time(() => {
    const r = reducedDensityMatrix(states, keep);
    const s = vonNeumannEntropy(r);
    r.re.dispose();
    r.im.dispose();
    return s;
  });
  rdm.result.re.dispose();
  rdm.result.im.dispose();

  // Naive: the same library calls, one state at a time (what a per-patch loop would do).
  // The single-state tensors are made up front so that only the per-state calls are timed.
  const sample = Math.min(NAIVE_SAMPLE, nStates);
  const hostRe = states.re.dataSync();
  const hostIm = states.im.dataSync();
  const singles: StateBatch[] = Array.from({ length: sample }, (_, i) => ({
    re: tf.tensor2d(hostRe.slice(i * 16, (i + 1) * 16), [1, 16]),
    im: tf.tensor2d(hostIm.slice(i * 16, (i + 1) * 16), [1, 16]),
    nQubits: 4,
  }));
  const naive = time(() => {
    const out = new Float64Array(sample);
    singles.forEach((one, i) => {
      const r = reducedDensityMatrix(one, keep);
      out[i] = vonNeumannEntropy(r)[0];
      tf.dispose([r.re, r.im]);
    });
    return out;
  });
  for (const one of singles) tf.dispose([one.re, one.im]);
  const naiveMs = (naive.ms * nStates) / sample;
  for (let i = 0; i < sample; i++) {
    if (Math.abs(naive.result[i] - ent.result[i]) > 1e-9) throw new Error(`naive and batched entropies differ at ${i}`);
  }

  const s = ent.result;
  let mean = 0;
  let nonFinite = 0;
  for (const x of s) {
    mean += x / s.length;
    if (!Number.isFinite(x)) nonFinite++;
  }
  const rows: [string, number][] = [
    ['partial trace + download', rdm.ms],
    ['eigenvalues only (Jacobi)', eig.ms],
    ['RDM + purity (baseline, no eigen)', pur.ms],
    ['RDM + vonNeumannEntropy (the task)', ent.ms],
    [`naive per-state loop (scaled from ${sample} states)`, naiveMs],
  ];
  console.log(`inspect-entropy: ${nStates.toLocaleString('en')} random 4-qubit states, S(qubits 0,1 | 2,3), backend ${info.tfBackend}, median of ${REPEATS}`);
  console.log('| step | total ms | µs/state | × purity |');
  console.log('|---|---:|---:|---:|');
  for (const [name, ms] of rows) {
    console.log(`| ${name} | ${ms.toFixed(0)} | ${((ms * 1000) / nStates).toFixed(2)} | ${(ms / pur.ms).toFixed(2)} |`);
  }
  console.log(`batched entropy is ${(naiveMs / ent.ms).toFixed(0)}× faster than the naive loop`);
  console.log(`mean S = ${mean.toFixed(4)} bits (Page's Haar value ${pageEntropy(4, 4).toFixed(4)}), non-finite values: ${nonFinite}`);
  tf.dispose([states.re, states.im]);
}

if (require.main === module) {
  const arg = process.argv[2];
  main(arg ? Number(arg) : undefined).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
