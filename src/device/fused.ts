/**
 * Fast exact evaluation of a device kernel on many windows. After transpilation the data enter only
 * through rz(s·x_i) gates (diagonal), so the noisy circuit is: fixed channels (gates and their errors)
 * between groups of data-dependent phases. Each fixed stretch is composed once, on the host in float64,
 * into one superoperator (4^n × 4^n) by qkc's own host kernel running the density-matrix operations on
 * the basis of vec(ρ); each data group is one elementwise phase e^{iθ(r_q − c_q)} on vec(ρ). A batch of
 * windows then costs a few matrix products instead of one tensor pass per gate and channel. The same
 * numbers as `expval(circuit, observables, { noise })` (tested), read-out error and shots included.
 */
import { tf } from '../backend';
import { Rng } from '../util';
import { Observable, applyReadoutError, densityOps, isParamRef, planMeasurement, readExpectations } from '../sim';
import type { TermOp } from '../sim/gate-terms';
import { hostZero } from '../sim/host/host-kernel';
import { hostRun } from '../sim/host/host-run';
import type { DeviceKernel } from './device-kernel';

/** Most qubits the fused path handles (a 4^6 × 4^6 superoperator is 16.8 M complex entries). */
export const FUSED_MAX_QUBITS = 6;

type Block = { kind: 'fixed'; re: tf.Tensor2D; im: tf.Tensor2D } | { kind: 'data'; k: tf.Tensor2D };

/** The superoperator of fixed term ops as a [D, D] matrix M with vec_out = vec_in · M (row vectors). */
function compose(ops: TermOp[], n: number): { re: Float32Array; im: Float32Array } {
  const D = 4 ** n;
  const s = hostZero(2 * n, D);
  s.re.fill(0);
  for (let b = 0; b < D; b++) s.re[b * D + b] = 1;
  hostRun(s, ops, ops.map((op) => (op.angle === undefined ? undefined : (op.angle as number))));
  return { re: Float32Array.from(s.re), im: Float32Array.from(s.im) };
}

/** An evaluator of a device kernel: exact (or finite-shot) expectations [rows, nObs] of windows [rows, numInputs]. */
export interface FusedKernel {
  (inputs: tf.Tensor2D, shots?: number, rng?: Rng): tf.Tensor2D;
  dispose(): void;
}

/** Builds the fused evaluator of `k` (see the file comment); refuses more than FUSED_MAX_QUBITS qubits. */
export function fuseDeviceKernel(k: Pick<DeviceKernel, 'circuit' | 'noise' | 'observables'>): FusedKernel {
  const { circuit, noise } = k;
  const n = circuit.nQubits, dim = 2 ** n, D = dim * dim, nIn = circuit.numInputs;
  if (n > FUSED_MAX_QUBITS) throw new Error(`fuseDeviceKernel: ${n} qubits; the fused path handles at most ${FUSED_MAX_QUBITS}`);
  const ops = densityOps(circuit, noise);
  const isData = (t: TermOp) => t.angle !== undefined && isParamRef(t.angle);
  const blocks: Block[] = [];
  let fixed: TermOp[] = [];
  let phases: Float32Array | null = null;
  const seen = new Set<number>();
  const flushFixed = () => {
    if (fixed.length === 0) return;
    const m = compose(fixed, n);
    blocks.push({ kind: 'fixed', re: tf.tensor2d(m.re, [D, D]), im: tf.tensor2d(m.im, [D, D]) });
    fixed = [];
  };
  const flushData = () => {
    if (!phases) return;
    blocks.push({ kind: 'data', k: tf.tensor2d(phases, [nIn, D]) });
    phases = null;
  };
  for (const t of ops) {
    if (!isData(t)) { flushData(); fixed.push(t); continue; }
    flushFixed();
    if (seen.has(t.source.op)) continue; // the column half of a sandwiched rz: already accounted for
    seen.add(t.source.op);
    const op = circuit.ops[t.source.op];
    const ref = op.params[0];
    if (op.name !== 'rz' || !isParamRef(ref) || ref.kind !== 'input') throw new Error(`fuseDeviceKernel: data may enter only through rz(s·x_i), found ${op.name} on operation ${t.source.op}`);
    phases ??= new Float32Array(nIn * D);
    const q = op.wires[0];
    for (let j = 0; j < D; j++) {
      const c = (j >> q) & 1, r = (j >> (q + n)) & 1; // vec index j = c + 2^n·r
      phases[ref.index * D + j] += ref.scale * (r - c);
    }
  }
  flushFixed();
  flushData();
  const plan = planMeasurement(k.observables as Observable[], n);
  const diagIdx = tf.tensor1d(Int32Array.from({ length: dim }, (_, b) => b * (dim + 1)), 'int32');

  const run = ((inputs: tf.Tensor2D, shots?: number, rng?: Rng) => tf.tidy(() => {
    const rows = inputs.shape[0];
    let re: tf.Tensor2D = tf.oneHot(tf.zeros([1], 'int32'), D).toFloat() as tf.Tensor2D;
    let im: tf.Tensor2D = tf.zerosLike(re);
    for (const b of blocks) {
      if (b.kind === 'fixed') {
        [re, im] = [tf.sub(tf.matMul(re, b.re), tf.matMul(im, b.im)), tf.add(tf.matMul(re, b.im), tf.matMul(im, b.re))];
      } else {
        const theta = tf.matMul(inputs, b.k);
        const c = tf.cos(theta), s = tf.sin(theta);
        if (re.shape[0] !== rows) { re = tf.broadcastTo(re, [rows, D]); im = tf.broadcastTo(im, [rows, D]); }
        [re, im] = [tf.sub(tf.mul(re, c), tf.mul(im, s)), tf.add(tf.mul(re, s), tf.mul(im, c))];
      }
    }
    if (re.shape[0] !== rows) re = tf.broadcastTo(re, [rows, D]);
    const probs = applyReadoutError(tf.gather(re, diagIdx, 1) as tf.Tensor2D, noise, n);
    return readExpectations(plan, n, () => probs, shots, rng);
  })) as FusedKernel;
  run.dispose = () => {
    for (const b of blocks) { if (b.kind === 'fixed') { b.re.dispose(); b.im.dispose(); } else b.k.dispose(); }
    diagIdx.dispose();
  };
  return run;
}
