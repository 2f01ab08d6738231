/**
 * Kernel circuits from names: data encodings of a window (one or two values per qubit) and trainable
 * ansatz templates as the literature defines them (PennyLane's StronglyEntanglingLayers, Qiskit's
 * RealAmplitudes, a hardware-efficient RY·RZ + CNOT-ring layer), with optional data re-uploading.
 * Weight j of a template is `weight(j)`, numbered layer by layer in gate order.
 */
import { Circuit, input, weight } from '../sim';
import { oneOf } from './validate';

/** How window values become rotation angles: RY(s·x), RX(s·x), or two values per qubit (RY then RZ). */
export type Encoding = 'ry' | 'rx' | 'dense';
/** Accepted encodings. */
export const ENCODINGS: readonly Encoding[] = ['ry', 'rx', 'dense'];

/** Named trainable templates. */
export type AnsatzName = 'hardware-efficient' | 'strongly-entangling' | 'real-amplitudes';
/** Accepted ansatz names. */
export const ANSATZE: readonly AnsatzName[] = ['hardware-efficient', 'strongly-entangling', 'real-amplitudes'];

/** CX patterns of Qiskit's RealAmplitudes (Qiskit spells them with '_'; tfjs configs mangle '_', so '-' here). */
export type Entanglement = 'reverse-linear' | 'linear' | 'circular' | 'full';
/** Accepted entanglement patterns. */
export const ENTANGLEMENTS: readonly Entanglement[] = ['reverse-linear', 'linear', 'circular', 'full'];

/** Qubits an encoding needs for `nValues` window values. */
export function encodingQubits(encoding: Encoding, nValues: number): number {
  return encoding === 'dense' ? Math.ceil(nValues / 2) : nValues;
}

/** Appends the encoding of values 0…nValues−1 (angle = scale·x_i) to `c`. */
export function appendEncoding(c: Circuit, encoding: Encoding, nValues: number, scale: number): void {
  for (let i = 0; i < nValues; i++) {
    if (encoding === 'ry') c.ry(input(i, scale), i);
    else if (encoding === 'rx') c.rx(input(i, scale), i);
    else if (i % 2 === 0) c.ry(input(i, scale), i >> 1);
    else c.rz(input(i, scale), i >> 1);
  }
}

/** Control/target pairs of a RealAmplitudes entanglement layer, in Qiskit's order. */
export function entanglerMap(pattern: Entanglement, n: number): Array<[number, number]> {
  const linear: Array<[number, number]> = [];
  for (let i = 0; i + 1 < n; i++) linear.push([i, i + 1]);
  switch (pattern) {
    case 'linear': return linear;
    case 'reverse-linear': return linear.reverse();
    case 'circular': return n > 2 ? [[n - 1, 0], ...linear] : linear;
    case 'full': {
      const pairs: Array<[number, number]> = [];
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push([i, j]);
      return pairs;
    }
  }
}

/** Appends layer `l` of a template to `c` using weights from `w0`; returns the next free weight index. */
function appendLayer(c: Circuit, name: AnsatzName, l: number, w0: number, entanglement: Entanglement): number {
  const n = c.nQubits;
  let w = w0;
  if (name === 'hardware-efficient') {
    for (let q = 0; q < n; q++) { c.ry(weight(w++), q); c.rz(weight(w++), q); }
    // CNOT ring 0→1→…→n−1→0 (two qubits: a single CNOT, as PennyLane's 'ring' pattern does).
    for (let q = 0; q + 1 < n; q++) c.cx(q, q + 1);
    if (n > 2) c.cx(n - 1, 0);
  } else if (name === 'strongly-entangling') {
    // Rot(φ, θ, ω) = RZ(ω)·RY(θ)·RZ(φ) per wire, then CNOT(i, i + r mod n) with r = (l mod (n−1)) + 1.
    for (let q = 0; q < n; q++) { c.rz(weight(w++), q); c.ry(weight(w++), q); c.rz(weight(w++), q); }
    if (n > 1) {
      const r = (l % (n - 1)) + 1;
      for (let q = 0; q < n; q++) c.cx(q, (q + r) % n);
    }
  } else {
    for (let q = 0; q < n; q++) c.ry(weight(w++), q);
    for (const [a, b] of entanglerMap(entanglement, n)) c.cx(a, b);
  }
  return w;
}

/** What `buildKernelCircuit` needs. */
export interface KernelCircuitSpec {
  encoding: Encoding;
  /** Window values per patch. */
  nValues: number;
  /** Angle scale of the encoding (π by default in the layers). */
  scale: number;
  ansatz: AnsatzName;
  /** Template depth (Qiskit's `reps` for real-amplitudes). */
  layers: number;
  /** Repeat the encoding before every layer (data re-uploading). */
  reupload: boolean;
  /** RealAmplitudes entanglement (ignored by the other templates). */
  entanglement: Entanglement;
}

/** A kernel circuit and the operation index where its first data encoding ends (for state capture). */
export interface BuiltKernel { circuit: Circuit; encodedAt: number }

/** Builds encoding + ansatz (+ re-uploading) on `encodingQubits(encoding, nValues)` qubits. */
export function buildKernelCircuit(spec: KernelCircuitSpec): BuiltKernel {
  const encoding = oneOf(spec.encoding, ENCODINGS, 'encoding');
  const ansatz = oneOf(spec.ansatz, ANSATZE, 'ansatz');
  const c = new Circuit(encodingQubits(encoding, spec.nValues));
  appendEncoding(c, encoding, spec.nValues, spec.scale);
  const encodedAt = c.ops.length;
  let w = 0;
  for (let l = 0; l < spec.layers; l++) {
    if (spec.reupload && l > 0) appendEncoding(c, encoding, spec.nValues, spec.scale);
    w = appendLayer(c, ansatz, l, w, spec.entanglement);
  }
  // RealAmplitudes ends with one more rotation layer (Qiskit's skip_final_rotation_layer=False).
  if (ansatz === 'real-amplitudes') for (let q = 0; q < c.nQubits; q++) c.ry(weight(w++), q);
  return { circuit: c, encodedAt };
}
