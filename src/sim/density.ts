/**
 * Density-matrix simulation with noise. A density matrix ρ [2^n × 2^n] is run as a 2n-qubit vector
 * vec(ρ)[r·2^n + c]: column bits are wires 0…n−1 and row bits wires n…2n−1. Then UρU† is U on the row
 * wires and conj(U) on the column wires, and a Kraus channel is one 4×4 superoperator on (c, r) of its
 * qubit — so the batched, differentiable state-vector engine does all the work.
 */
import { tf } from '../backend';
import { Rng } from '../util/random';
import { Circuit } from './circuit';
import { CMatrix } from './gates';
import { Amplitudes, applyTermOp, runTermOps } from './apply';
import { InputsArg, WeightsArg, prepareArgs } from './angles';
import { lowerCircuit, TermOp, toTermOps } from './gate-terms';
import { DensityBatch, StateBatch, isDensity } from './state';
import { NoiseModel, checkNoiseModel, krausOperators, readoutConfusion, superoperator } from './noise';
import { MeasurementPlan, readExpectations } from './readout';
import { badArgument } from '../util/errors';

/** Options of `simulateDensity`. */
export interface DensityOptions {
  inputs?: InputsArg;
  weights?: WeightsArg;
  /** Channels after gates and read-out error (read-out only affects measurements). */
  noise?: NoiseModel;
  /** Initial pure or mixed states (default |0…0⟩⟨0…0|), 1 or batch rows. */
  initialState?: StateBatch | DensityBatch;
}

const conj = (m?: CMatrix): CMatrix | undefined => m && { re: m.re, im: m.im.map((r) => r.map((v) => -v)) };

/** An operation's action on vec(ρ): itself on the row wires, then its conjugate on the column wires. */
function sandwich(op: TermOp, n: number): TermOp[] {
  return [
    { ...op, wires: op.wires.map((w) => w + n) },
    { ...op, a0: conj(op.a0) as CMatrix, a1: conj(op.a1), a2: conj(op.a2) },
  ];
}

/** A channel on `wires` as one term op on vec(ρ): its superoperator on the column wires then the row wires. */
function channelOp(kraus: CMatrix[], wires: readonly number[], n: number, source: { op: number; param: number }): TermOp {
  return { wires: [...wires, ...wires.map((w) => w + n)], a0: superoperator(kraus), freq: 0, diagonal: false, source };
}

/** The 2n-wire operations that evolve vec(ρ) through `circuit` with `noise` after each gate. */
export function densityOps(circuit: Circuit, noise: NoiseModel = {}): TermOp[] {
  const n = circuit.nQubits;
  const out: TermOp[] = [];
  const channels = (noise.channels ?? []).map((c) => ({ spec: c, kraus: krausOperators(c.channel, c.p) }));
  const after = new Map<number, TermOp[]>();
  for (const c of noise.opChannels ?? []) {
    const list = after.get(c.after) ?? [];
    list.push(channelOp(c.kraus, c.wires, n, { op: c.after, param: -1 }));
    after.set(c.after, list);
  }
  circuit.ops.forEach((op, i) => {
    for (const t of toTermOps(op, i)) out.push(...sandwich(t, n));
    for (const { spec, kraus } of channels) {
      if (spec.p === 0 || (spec.gates && !spec.gates.includes(op.name))) continue;
      for (const q of op.wires) if (!spec.qubits || spec.qubits.includes(q)) out.push(channelOp(kraus, [q], n, { op: i, param: -1 }));
    }
    out.push(...(after.get(i) ?? []));
  });
  return out;
}

/** vec(ρ) rows [rows, 4^n] of the initial states. */
function initialVec(n: number, batch: number, initial?: StateBatch | DensityBatch): Amplitudes {
  const dim = 1 << n;
  return tf.tidy(() => {
    if (!initial) {
      const re = tf.oneHot(tf.zeros([batch], 'int32'), dim * dim).toFloat() as tf.Tensor2D;
      return { re, im: tf.zerosLike(re) };
    }
    if (initial.nQubits !== n) throw badArgument(`simulateDensity(initialState): expected ${n} qubits, got ${initial.nQubits}`);
    const rows = initial.re.shape[0];
    if (rows !== 1 && rows !== batch) throw badArgument(`simulateDensity(initialState): expected 1 or ${batch} rows, got ${rows}`);
    let re: tf.Tensor, im: tf.Tensor;
    if (isDensity(initial)) { re = initial.re; im = initial.im; } else {
      // ρ = ψψ†: ρ_rc = ψ_r conj(ψ_c)
      const ar = initial.re.expandDims(2), ai = initial.im.expandDims(2), br = initial.re.expandDims(1), bi = initial.im.expandDims(1);
      re = tf.add(tf.mul(ar, br), tf.mul(ai, bi));
      im = tf.sub(tf.mul(ai, br), tf.mul(ar, bi));
    }
    return {
      re: tf.broadcastTo(re.reshape([rows, dim * dim]), [batch, dim * dim]) as tf.Tensor2D,
      im: tf.broadcastTo(im.reshape([rows, dim * dim]), [batch, dim * dim]) as tf.Tensor2D,
    };
  });
}

/** Runs the circuit on density matrices (vec form) with checked arguments; used by expval with noise. */
function runDensity(circuit: Circuit, options: DensityOptions, fn: string): { vec: Amplitudes; batch: number } {
  if (circuit.nQubits > 13) throw badArgument(`${fn}: density matrices of ${circuit.nQubits} qubits need 4^${circuit.nQubits} amplitudes; at most 13 qubits are supported`);
  if (options.noise) checkNoiseModel(options.noise, circuit.nQubits, circuit.ops.length);
  const initialRows = options.initialState?.re.shape[0];
  const args = prepareArgs(circuit.numInputs, circuit.numWeights, { ...options, batch: initialRows && !options.inputs ? initialRows : undefined }, fn);
  try {
    const x0 = initialVec(circuit.nQubits, args.batch, options.initialState);
    const vec = runTermOps(x0, densityOps(circuit, options.noise), args, 2 * circuit.nQubits);
    if (vec !== x0) { x0.re.dispose(); x0.im.dispose(); }
    return { vec, batch: args.batch };
  } finally {
    args.owned.forEach((t) => t.dispose());
  }
}

/** Simulates `circuit` on density matrices, with optional noise: a [batch, 2^n, 2^n] batch (caller disposes). */
export function simulateDensity(circuit: Circuit, options: DensityOptions = {}): DensityBatch {
  const dim = 1 << circuit.nQubits;
  const { vec, batch } = runDensity(circuit, options, 'simulateDensity');
  const re = vec.re.reshape([batch, dim, dim]) as tf.Tensor3D, im = vec.im.reshape([batch, dim, dim]) as tf.Tensor3D;
  vec.re.dispose(); vec.im.dispose();
  return { re, im, nQubits: circuit.nQubits };
}

/** Diagonal of vec(ρ) rows: the probabilities [batch, 2^n]. */
function diagonal(vec: Amplitudes, n: number): tf.Tensor2D {
  const dim = 1 << n;
  return tf.sum(tf.mul(vec.re.reshape([-1, dim, dim]), tf.eye(dim).expandDims(0)), 2) as tf.Tensor2D;
}

/** Applies per-qubit read-out confusion to probabilities [batch, 2^n]. */
export function applyReadoutError(probs: tf.Tensor2D, noise: NoiseModel | undefined, n: number): tf.Tensor2D {
  const c = noise && readoutConfusion(noise, n);
  if (!c) return probs;
  return tf.tidy(() => {
    let x: Amplitudes = { re: probs, im: tf.zerosLike(probs) };
    c.forEach((a0, q) => { if (a0) x = applyTermOp(x, { wires: [q], a0, freq: 0, diagonal: false, source: { op: -1, param: -1 } }, undefined, n); });
    return x.re;
  });
}

/** Expectations [batch, nObs] of a plan under noise (density-matrix path), exact or finite-shot. */
export function measurePlanDensity(circuit: Circuit, plan: MeasurementPlan, options: DensityOptions & { shots?: number; rng?: Rng }): tf.Tensor2D {
  const n = circuit.nQubits;
  return tf.tidy(() => {
    const { vec } = runDensity(circuit, options, 'expval');
    return readExpectations(plan, n, (rotation) => densityGroupProbabilities(vec, rotation, options.noise, n), options.shots, options.rng);
  });
}

/** Probabilities [batch, 2^n] of vec(ρ) rows measured after a group's basis `rotation`, read-out error included. */
export function densityGroupProbabilities(vec: Amplitudes, rotation: Circuit | null, noise: NoiseModel | undefined, n: number): tf.Tensor2D {
  const rotated = rotation ? runTermOps(vec, lowerCircuit(rotation.ops).flatMap((t) => sandwich(t, n)), { batch: vec.re.shape[0] }, 2 * n) : vec;
  return applyReadoutError(diagonal(rotated, n), noise, n);
}

/** Probabilities [batch, 2^n] under noise, read-out error included. */
export function densityProbabilities(circuit: Circuit, options: DensityOptions = {}): tf.Tensor2D {
  return tf.tidy(() => applyReadoutError(diagonal(runDensity(circuit, options, 'probabilities').vec, circuit.nQubits), options.noise, circuit.nQubits));
}
