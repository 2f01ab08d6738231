/**
 * `simulate` on the plain-JS host kernel, for large states: on wasm one host gate over 2^20 amplitudes
 * costs a few ms where the tf engine's transposes cost ~50 ms, and the host run holds one float64
 * state instead of a chain of tensors. It stays differentiable: a tf.customGrad whose backward is the
 * adjoint sweep (exact gradients w.r.t. weights, inputs and the initial state, memory of two states).
 */
import { tf } from '../../backend';
import { Circuit } from '../circuit';
import { RunArgs, hostAngle, toHostArgs } from '../angles';
import { lowerCircuit } from '../gate-terms';
import { HostStates, hostClone, hostZero } from './host-kernel';
import { hostRun } from './host-run';
import { adjointSweep } from './host-adjoint';
import { AngleDerivative, chainRule } from '../shift-plan';
import { isParamRef, ParamRef } from '../params';
import { StateBatch } from '../state';
import { adjointSweepParallel, hostRunParallel, sharedStates, sharedClone } from './host-parallel';

/** A float32 [rows, dim] tensor of one part (re or im) of a host batch. */
function toTensor(part: Float64Array, rows: number, dim: number): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(part), [rows, dim]);
}

/** A state batch downloaded to the host, its rows broadcast to `batch` (in shared memory with `shared`). */
function hostFromState(s: StateBatch, batch: number, shared: boolean): HostStates {
  const dim = 2 ** s.nQubits, rows = s.re.shape[0];
  const re = s.re.dataSync(), im = s.im.dataSync();
  const out = shared ? sharedStates(s.nQubits, batch) : hostZero(s.nQubits, batch);
  for (let b = 0; b < batch; b++) {
    const from = (rows === 1 ? 0 : b) * dim;
    for (let j = 0; j < dim; j++) { out.re[b * dim + j] = re[from + j]; out.im[b * dim + j] = im[from + j]; }
  }
  return out;
}

/**
 * Simulates on the host kernel with checked `args` and an optional checked initial state. Gradients
 * reach the weights and inputs tensors the caller passed (not copies made from arrays) and the
 * initial state's tensors, through the adjoint sweep. With `threads` > 1 the forward run and the sweep
 * split the states between threads (host-parallel.ts).
 */
export function simulateHost(circuit: Circuit, args: RunArgs & { owned: tf.Tensor[] }, initial?: StateBatch, threads = 1): StateBatch {
  const n = circuit.nQubits, dim = 2 ** n, B = args.batch;
  const host = toHostArgs(args);
  const ops = lowerCircuit(circuit.ops);
  const angles = ops.map((op) => (op.angle === undefined ? undefined : hostAngle(op.angle, host)));
  const parallel = threads > 1;
  const psi = initial ? hostFromState(initial, B, parallel) : parallel ? sharedStates(n, B) : hostZero(n, B);
  if (parallel && !initial) for (let b = 0; b < B; b++) psi.re[b * dim] = 1;
  if (parallel) hostRunParallel(psi, ops, angles, threads); else hostRun(psi, ops, angles);
  const roles: { role: 'weights' | 'inputs' | 're' | 'im'; t: tf.Tensor }[] = [];
  if (args.weights && !args.owned.includes(args.weights)) roles.push({ role: 'weights', t: args.weights });
  if (args.inputs && !args.owned.includes(args.inputs)) roles.push({ role: 'inputs', t: args.inputs });
  if (initial) roles.push({ role: 're', t: initial.re }, { role: 'im', t: initial.im });
  if (roles.length === 0) return { re: toTensor(psi.re, B, dim), im: toTensor(psi.im, B, dim), nQubits: n };

  const backward = (dy: tf.Tensor): tf.Tensor[] => {
    const g = dy.dataSync();
    const lambda: HostStates = parallel ? sharedStates(n, B) : { re: new Float64Array(B * dim), im: new Float64Array(B * dim), rows: B, nQubits: n };
    lambda.re.set(g.subarray(0, B * dim));
    lambda.im.set(g.subarray(B * dim));
    const isRef = (t: number) => { const a = ops[t].angle; return a !== undefined && isParamRef(a); };
    const grads = parallel ? adjointSweepParallel(ops, angles, sharedClone(psi), lambda, isRef, threads) : adjointSweep(ops, angles, hostClone(psi), lambda, isRef);
    const derivs: AngleDerivative[] = [];
    grads.forEach((d, t) => { if (d) derivs.push({ ref: ops[t].angle as ParamRef, values: d }); });
    const j = chainRule(derivs, B, 1, circuit.numWeights, circuit.numInputs);
    return roles.map(({ role, t }) => {
      if (role === 'weights') {
        const gw = new Float64Array(circuit.numWeights);
        for (let b = 0; b < B; b++) for (let k = 0; k < gw.length; k++) gw[k] += j.weights[b * gw.length + k];
        return tf.tensor(Float32Array.from(gw), t.shape);
      }
      if (role === 'inputs') return tf.tensor(Float32Array.from(j.inputs), t.shape);
      // The initial state's cotangent is U†·g, summed over the batch when one row was broadcast.
      const part = role === 're' ? lambda.re : lambda.im, rows = t.shape[0] as number;
      const out = new Float64Array(rows * dim);
      for (let b = 0; b < B; b++) for (let k = 0; k < dim; k++) out[(rows === 1 ? 0 : b) * dim + k] += part[b * dim + k];
      return tf.tensor(Float32Array.from(out), t.shape);
    });
  };
  const run = tf.customGrad((...inputs: unknown[]) => {
    void inputs;
    const packed = new Float32Array(2 * B * dim);
    packed.set(psi.re);
    packed.set(psi.im, B * dim);
    return { value: tf.tensor3d(packed, [2, B, dim]), gradFunc: (dy: tf.Tensor) => backward(dy) };
  });
  const [re, im] = tf.tidy(() => {
    const value = run(...roles.map((r) => r.t));
    return [0, 1].map((k) => tf.reshape(tf.slice(value, [k, 0, 0], [1, B, dim]), [B, dim]));
  }) as tf.Tensor2D[];
  return { re, im, nQubits: n };
}
