/**
 * The superoperator executor: noisy circuits whose data enter only through rz(s·x_i) gates (as every
 * circuit transpiled for an IBM device does) and that have no free weights. Such a circuit is fixed
 * channels (gates and their errors) between groups of data-dependent diagonal phases. Each fixed
 * stretch is composed once, on the host in float64, into one superoperator (4^n × 4^n) by the host
 * kernel running the density-matrix operations on the basis of vec(ρ); each data group is one
 * elementwise phase e^{iθ(r_q − c_q)} on vec(ρ). A batch of rows then costs a few matrix products
 * instead of one tensor pass per gate and channel. The composed blocks are kept per circuit and noise
 * model (host memory, collected with the circuit). Same numbers as the density executor (tested),
 * read-out error and shots included; differentiable w.r.t. the inputs by tfjs autodiff.
 */
import { tf } from '../../backend';
import { Circuit } from '../circuit';
import { isParamRef } from '../params';
import { prepareArgs } from '../angles';
import { TermOp } from '../gate-terms';
import { NoiseModel, checkNoiseModel } from '../noise';
import { planMeasurement, readExpectations } from '../readout';
import { densityOps, densityGroupProbabilities } from '../density';
import { hostZero } from '../host/host-kernel';
import { hostRun } from '../host/host-run';
import { Executor, shotSampler } from './types';

/** Most qubits the superoperator executor takes (a 4^6 × 4^6 superoperator is 16.8 M complex entries). */
export const SUPEROPERATOR_MAX_QUBITS = 6;

/** Fewest rows for which 'auto' composes superoperators (below, the density executor runs gate by gate). */
export const SUPEROPERATOR_MIN_ROWS = 16;

/** Why `circuit` cannot run on the superoperator executor (undefined when it can). */
export function superoperatorBlocker(circuit: Circuit): string | undefined {
  const n = circuit.nQubits;
  if (n > SUPEROPERATOR_MAX_QUBITS) return `${n} > ${SUPEROPERATOR_MAX_QUBITS} qubits (a 4^n × 4^n superoperator per fixed stretch)`;
  if (circuit.numWeights > 0) return `the circuit has ${circuit.numWeights} free weight(s) (the superoperator path bakes every angle but the data; bind them first)`;
  const i = circuit.ops.findIndex((op) => op.params.some(isParamRef) && (op.name !== 'rz' || !isParamRef(op.params[0]) || op.params[0].kind !== 'input'));
  if (i >= 0) return `operation ${i} (${circuit.ops[i].name}) reads data other than through rz(s·x_i)`;
  return undefined;
}

/** The composed circuit: fixed superoperators [D, D] (row vectors: vec_out = vec_in · M) and data phases [numInputs, D]. */
type Block = { kind: 'fixed'; re: Float32Array; im: Float32Array } | { kind: 'data'; phases: Float32Array };
interface Composed { nOps: number; noise: NoiseModel; blocks: Block[] }

/** Composed blocks per circuit, for the noise model last used with it (and its operation count, circuits being appendable). */
const composedCache = new WeakMap<Circuit, Composed>();

/** The superoperator of fixed term ops on vec(ρ), composed on the host in float64. */
function compose(ops: TermOp[], n: number): Block {
  const D = 4 ** n;
  const s = hostZero(2 * n, D);
  s.re.fill(0);
  for (let b = 0; b < D; b++) s.re[b * D + b] = 1;
  hostRun(s, ops, ops.map((op) => (op.angle === undefined ? undefined : (op.angle as number))));
  return { kind: 'fixed', re: Float32Array.from(s.re), im: Float32Array.from(s.im) };
}

/** The blocks of `circuit` under `noise` (see the file comment), composed once per circuit and noise model. */
function composed(circuit: Circuit, noise: NoiseModel): Block[] {
  const hit = composedCache.get(circuit);
  if (hit && hit.noise === noise && hit.nOps === circuit.ops.length) return hit.blocks;
  checkNoiseModel(noise, circuit.nQubits, circuit.ops.length);
  const n = circuit.nQubits, D = 4 ** n, nIn = circuit.numInputs;
  const blocks: Block[] = [];
  let fixed: TermOp[] = [];
  let phases: Float32Array | null = null;
  const seen = new Set<number>();
  const flushFixed = () => { if (fixed.length > 0) { blocks.push(compose(fixed, n)); fixed = []; } };
  const flushData = () => { if (phases) { blocks.push({ kind: 'data', phases }); phases = null; } };
  for (const t of densityOps(circuit, noise)) {
    if (t.angle === undefined || !isParamRef(t.angle)) { flushData(); fixed.push(t); continue; }
    flushFixed();
    if (seen.has(t.source.op)) continue; // the column half of a sandwiched rz: already accounted for
    seen.add(t.source.op);
    const op = circuit.ops[t.source.op];
    const ref = op.params[0];
    if (op.name !== 'rz' || !isParamRef(ref) || ref.kind !== 'input') throw new Error(`superoperator executor: data may enter only through rz(s·x_i), found ${op.name} on operation ${t.source.op}`);
    phases ??= new Float32Array(nIn * D);
    const q = op.wires[0];
    for (let j = 0; j < D; j++) {
      const c = (j >> q) & 1, r = (j >> (q + n)) & 1; // vec index j = c + 2^n·r
      phases[ref.index * D + j] += ref.scale * (r - c);
    }
  }
  flushFixed();
  flushData();
  composedCache.set(circuit, { nOps: circuit.ops.length, noise, blocks });
  return blocks;
}

/** The superoperator executor (see the file comment). */
export const superoperatorExecutor: Executor = {
  name: 'superoperator',
  expval(circuit, observables, options) {
    const n = circuit.nQubits, D = 4 ** n;
    const noise = options.noise ?? {};
    const blocker = superoperatorBlocker(circuit);
    if (blocker) throw new Error(`expval: the superoperator executor cannot run this circuit: ${blocker}`);
    const blocks = composed(circuit, noise);
    const plan = planMeasurement(observables, n);
    const rng = shotSampler(options);
    const args = prepareArgs(circuit.numInputs, 0, { inputs: options.inputs }, 'expval');
    try {
      return tf.tidy(() => {
        const rows = args.batch;
        let re: tf.Tensor2D = tf.oneHot(tf.zeros([1], 'int32'), D).toFloat() as tf.Tensor2D;
        let im: tf.Tensor2D = tf.zerosLike(re);
        const differentiable = args.inputs !== undefined && tf.engine().state.activeTape !== null;
        for (const b of blocks) {
          const [nextRe, nextIm] = tf.tidy(() => {
            if (b.kind === 'fixed') {
              const mr = tf.tensor2d(b.re, [D, D]), mi = tf.tensor2d(b.im, [D, D]);
              return [tf.sub(tf.matMul(re, mr), tf.matMul(im, mi)), tf.add(tf.matMul(re, mi), tf.matMul(im, mr))];
            }
            const theta = tf.matMul(args.inputs as tf.Tensor2D, tf.tensor2d(b.phases, [circuit.numInputs, D]));
            const c = tf.cos(theta), s = tf.sin(theta);
            const r0 = re.shape[0] === rows ? re : tf.broadcastTo(re, [rows, D]), i0 = im.shape[0] === rows ? im : tf.broadcastTo(im, [rows, D]);
            return [tf.sub(tf.mul(r0, c), tf.mul(i0, s)), tf.add(tf.mul(r0, s), tf.mul(i0, c))];
          });
          // Each stretch's [rows, 4^n] intermediates go as soon as the next one exists (tapes keep what gradients need).
          if (!differentiable) { re.dispose(); im.dispose(); }
          [re, im] = [nextRe as tf.Tensor2D, nextIm as tf.Tensor2D];
        }
        if (re.shape[0] !== rows) { re = tf.broadcastTo(re, [rows, D]); im = tf.broadcastTo(im, [rows, D]); }
        const vec = { re, im };
        return readExpectations(plan, n, (rotation) => densityGroupProbabilities(vec, rotation, noise, n), options.shots, rng);
      });
    } finally {
      args.owned.forEach((t) => t.dispose());
    }
  },
};
