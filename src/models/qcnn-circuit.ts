/**
 * The circuit of a fully quantum QCNN (Cong, Choi & Lukin 2019; the classical-data shape of Hur, Kim &
 * Park 2022): one register, the image encoded once, then convolution and pooling layers stacked on it.
 *
 *  - convolution layer on the live qubits K (m of them): one two-qubit block on every neighbouring pair,
 *    first (K0,K1), (K2,K3), …, then (K1,K2), …, (K_{m−1},K0) (a ring; with m = 2 the single pair), all
 *    pairs of a layer sharing ONE set of angles, as in both papers;
 *  - pooling layer: src/pooling's block on (K_{2i+1} → K_{2i}) for every i, again one angle set per layer,
 *    halving the live qubits;
 *  - repeated while halving keeps at least the readout qubits, then one last convolution on the live
 *    qubits when more than one is left; the readout is the Born distribution of the first `readoutQubits`
 *    live qubits (src/models/qcnn.ts turns it into class scores).
 *
 * Every counted angle must change the output. Some angles of these blocks cannot: a Z rotation on a qubit
 * that is then only a control and traced out (the last SU(4) block's final RZ on the dropped qubit), or the
 * Hur pool's CRZ when its kept qubit is measured in Z right away. `buildQcnnCircuit` finds such angles by
 * their exact derivative (adjoint, float64) at random points — a derivative of these circuits is an analytic
 * function of inputs and angles, so zero at random points means zero everywhere — pins them to 0 (any value
 * gives the same outputs) and renumbers the rest; `pinned` lists them.
 */
import { tf } from '../backend';
import { Circuit, adjoint, input, isParamRef, weight, type Angle, type Observable } from '../sim';
import { appendEncoding } from '../qkc';
import { appendPoolBlock, POOL_BLOCK_PARAMS, type PoolBlockName } from '../pooling';
import { Rng } from '../util';
import { badArgument } from '../util/errors';

/** Two-qubit convolution blocks (Hur et al.'s names): 'so4' (6 angles), 'su4' (15 angles, any two-qubit unitary). */
export type ConvBlockName = 'so4' | 'su4';
/** Accepted convolution blocks. */
export const CONV_BLOCKS: readonly ConvBlockName[] = ['so4', 'su4'];
/** Angles of one convolution block. */
export const CONV_BLOCK_PARAMS: Readonly<Record<ConvBlockName, number>> = { so4: 6, su4: 15 };

/**
 * Appends a convolution block on qubits (a, b) reading weights w0 … w0+P−1:
 *  - 'so4': RY a, RY b, CX a→b, RY a, RY b, CX a→b, RY a, RY b (real orthogonal, Hur et al.'s U_SO4);
 *  - 'su4': U3 a, U3 b, CX a→b, RY a, RZ b, CX b→a, RY a, CX a→b, U3 a, U3 b (the three-CNOT
 *    decomposition of SU(4), Vatan & Williams 2004; Hur et al.'s U_SU4).
 */
export function appendConvBlock(c: Circuit, block: ConvBlockName, a: number, b: number, w0: number): Circuit {
  const w = (i: number) => weight(w0 + i);
  switch (block) {
    case 'so4':
      return c.ry(w(0), a).ry(w(1), b).cx(a, b).ry(w(2), a).ry(w(3), b).cx(a, b).ry(w(4), a).ry(w(5), b);
    case 'su4':
      return c.u3(w(0), w(1), w(2), a).u3(w(3), w(4), w(5), b).cx(a, b).ry(w(6), a).rz(w(7), b).cx(b, a).ry(w(8), a).cx(a, b)
        .u3(w(9), w(10), w(11), a).u3(w(12), w(13), w(14), b);
    default:
      throw badArgument(`conv block: expected one of ${CONV_BLOCKS.map((n) => `'${n}'`).join(', ')}, got ${JSON.stringify(block)}`);
  }
}

/**
 * Encodings of values in [0, 1] (angle = π·value): 'ry', one value per qubit, RY; 'dense', two per qubit,
 * RY(a) then RZ(b) (Hur et al.'s dense encoding, src/qkc's 'dense'); 'ry-rx', two per qubit, RY(a) then
 * RX(b). On pixels 'dense' loses b whenever a ≈ 0 (RZ on |0⟩ is a phase): on a 4×4 digit the qubits whose
 * RY pixel lies on the blank border carry nothing of their RZ pixel, among them two of the four central
 * pixels; RX after RY turns the state for every a, so both values always reach it.
 */
export type QcnnEncoding = 'ry' | 'dense' | 'ry-rx';
/** Accepted encodings. */
export const QCNN_ENCODINGS: readonly QcnnEncoding[] = ['ry', 'dense', 'ry-rx'];

/** Values per qubit of an encoding. */
export const valuesPerQubit = (e: QcnnEncoding): number => (e === 'ry' ? 1 : 2);

/** Appends the encoding of `nQubits · valuesPerQubit` values: input(i) is value i. */
function appendQcnnEncoding(c: Circuit, e: QcnnEncoding): void {
  if (e !== 'ry-rx') return void appendEncoding(c, e, c.nQubits * valuesPerQubit(e), Math.PI);
  for (let q = 0; q < c.nQubits; q++) c.ry(input(2 * q, Math.PI), q).rx(input(2 * q + 1, Math.PI), q);
}

/** What is measured: the readout qubits' outcome probabilities ('born'), or ⟨Z⟩ of each readout qubit ('z', for a classical head). */
export type QcnnReadout = 'born' | 'z';

/** A QCNN as data. */
export interface QcnnDesign {
  /** Readout (default 'born'). */
  readout?: QcnnReadout;
  /** Register size: 8 or 16 (any power of two from 2 to 16). */
  qubits: number;
  /** How values become angles (scale π; see QCNN_ENCODINGS). */
  encoding: QcnnEncoding;
  /** Convolution block. */
  conv: ConvBlockName;
  /** Pool block (src/pooling). */
  pool: PoolBlockName;
}

/** One layer of the built circuit. */
export interface QcnnLayer {
  kind: 'conv' | 'pool';
  /** Live qubits before the layer. */
  live: number[];
  /** Qubit pairs the layer acts on ([a, b] for conv; [dropped, kept] for pool). */
  pairs: Array<[number, number]>;
}

/** A built QCNN circuit. */
export interface QcnnCircuit {
  circuit: Circuit;
  /** Values the encoding reads (input(0) … input(nValues − 1)). */
  nValues: number;
  layers: QcnnLayer[];
  /** Qubits read out (the live ones left), lowest first: bit i of an outcome is readout[i]. */
  readout: number[];
  /** 'born': projectors onto outcomes 0 … numClasses − 1 of the readout qubits; 'z': ⟨Z⟩ of each readout qubit. */
  observables: Observable[];
  /** Angles pinned to 0 because they cannot change the output: where they sat before renumbering. */
  pinned: Array<{ layer: number; kind: 'conv' | 'pool'; index: number }>;
}

/** An observable as a weighted Pauli sum. */
type PauliSumObservable = Extract<Observable, { terms: unknown }>;

/** Readout qubits for `numClasses` classes: ⌈log2 C⌉. */
export function readoutQubits(numClasses: number): number {
  return Math.max(1, Math.ceil(Math.log2(numClasses)));
}

/**
 * The projector onto outcome `o` of the `qubits` (bit i of o ↔ qubits[i]) as a Pauli sum:
 * Π_i (I + (−1)^{o_i} Z_{q_i}) / 2 = 2^{−k} Σ_{S ⊆ qubits} (−1)^{Σ_{i∈S} o_i} Π_{i∈S} Z_{q_i}.
 */
export function outcomeProjector(qubits: readonly number[], o: number): PauliSumObservable {
  const k = qubits.length;
  const terms: Array<[number, string]> = [];
  for (let s = 0; s < 1 << k; s++) {
    const inS = qubits.filter((_, i) => (s >> i) & 1);
    const sign = qubits.reduce((acc, _, i) => (((s >> i) & 1) && ((o >> i) & 1) ? -acc : acc), 1);
    terms.push([sign / (1 << k), inS.length ? inS.map((q) => `Z${q}`).join(' ') : 'I']);
  }
  return { terms };
}

/** Checks a design against a class count (errors name the field). */
export function checkQcnnDesign(d: QcnnDesign, numClasses: number): void {
  const n = d.qubits;
  if (!Number.isInteger(n) || n < 2 || n > 16 || (n & (n - 1)) !== 0) throw badArgument(`qcnn qubits: expected a power of two from 2 to 16, got ${JSON.stringify(n)}`);
  if (d.readout !== undefined && d.readout !== 'born' && d.readout !== 'z') throw badArgument(`qcnn readout: expected 'born' or 'z', got ${JSON.stringify(d.readout)}`);
  if (!QCNN_ENCODINGS.includes(d.encoding)) throw badArgument(`qcnn encoding: expected one of ${QCNN_ENCODINGS.join(', ')}, got ${JSON.stringify(d.encoding)}`);
  if (!CONV_BLOCKS.includes(d.conv)) throw badArgument(`qcnn conv: expected one of ${CONV_BLOCKS.join(', ')}, got ${JSON.stringify(d.conv)}`);
  if (!(d.pool in POOL_BLOCK_PARAMS)) throw badArgument(`qcnn pool: expected one of ${Object.keys(POOL_BLOCK_PARAMS).join(', ')}, got ${JSON.stringify(d.pool)}`);
  const r = readoutQubits(numClasses);
  if (!Number.isInteger(numClasses) || numClasses < 2 || r > n) {
    throw badArgument(`qcnn numClasses: expected an integer from 2 to ${2 ** n} for ${n} qubits, got ${JSON.stringify(numClasses)}`);
  }
}

/** The circuit before pinning idle angles, with each weight's (layer, kind, index in layer); cheap (no simulation). */
export function qcnnLayout(d: QcnnDesign, numClasses: number): { circuit: Circuit; layers: QcnnLayer[]; readout: number[]; owner: QcnnCircuit['pinned'] } {
  checkQcnnDesign(d, numClasses);
  const c = new Circuit(d.qubits);
  appendQcnnEncoding(c, d.encoding);
  const r = readoutQubits(numClasses);
  const layers: QcnnLayer[] = [];
  const owner: QcnnCircuit['pinned'] = [];
  let live = Array.from({ length: d.qubits }, (_, q) => q);
  let next = 0;
  const conv = (): void => {
    const m = live.length;
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i + 1 < m; i += 2) pairs.push([live[i], live[i + 1]]);
    if (m > 2) for (let i = 1; i < m; i += 2) pairs.push([live[i], live[(i + 1) % m]]);
    for (const [a, b] of pairs) appendConvBlock(c, d.conv, a, b, next);
    for (let i = 0; i < CONV_BLOCK_PARAMS[d.conv]; i++) owner.push({ layer: layers.length, kind: 'conv', index: i });
    layers.push({ kind: 'conv', live: [...live], pairs });
    next += CONV_BLOCK_PARAMS[d.conv];
  };
  while (live.length / 2 >= r) {
    conv();
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i + 1 < live.length; i += 2) pairs.push([live[i + 1], live[i]]);
    for (const [dropped, kept] of pairs) appendPoolBlock(c, d.pool, dropped, kept, next);
    for (let i = 0; i < POOL_BLOCK_PARAMS[d.pool]; i++) owner.push({ layer: layers.length, kind: 'pool', index: i });
    layers.push({ kind: 'pool', live: [...live], pairs });
    next += POOL_BLOCK_PARAMS[d.pool];
    live = pairs.map(([, kept]) => kept);
  }
  if (live.length > 1) conv();
  return { circuit: c, layers, readout: live.slice(0, r), owner };
}

/** Weights whose derivative is 0 at `points` random (inputs, weights) draws: they cannot change any output. */
export function idleWeights(circuit: Circuit, observables: readonly Observable[], points = 2, seed = 7): number[] {
  const rng = new Rng(seed);
  const p = circuit.numWeights;
  const maxAbs = new Float64Array(p);
  for (let k = 0; k < points; k++) {
    const inputs = [Array.from({ length: circuit.numInputs }, () => rng.next())];
    const weights = Array.from({ length: p }, () => 2 * Math.PI * rng.next());
    const j = adjoint(circuit, observables, { inputs, weights });
    const g = j.weights.dataSync();
    tf.dispose([j.weights, j.inputs]);
    for (let i = 0; i < g.length; i++) maxAbs[i % p] = Math.max(maxAbs[i % p], Math.abs(g[i]));
  }
  // Structural zeros come out at ~1e-16 (float64); live angles' derivatives at random points are O(0.01–1).
  return Array.from(maxAbs.keys()).filter((i) => maxAbs[i] < 1e-7);
}

/** `circuit` with weights `idle` replaced by the constant 0 and the others renumbered 0 … P−|idle|−1 in order. */
export function pinWeights(circuit: Circuit, idle: readonly number[]): Circuit {
  const drop = new Set(idle);
  const renumber = new Map<number, number>();
  for (let j = 0, k = 0; j < circuit.numWeights; j++) if (!drop.has(j)) renumber.set(j, k++);
  const out = new Circuit(circuit.nQubits);
  for (const op of circuit.ops) {
    const params: Angle[] = op.params.map((a) => {
      if (!isParamRef(a) || a.kind !== 'weight') return a;
      return drop.has(a.index) ? 0 : weight(renumber.get(a.index) as number, a.scale);
    });
    out.append(op.name, op.wires, params, op.matrix);
  }
  return out;
}

/** Builds the QCNN circuit of `design` for `numClasses` classes; see the file comment. */
export function buildQcnnCircuit(design: QcnnDesign, numClasses: number): QcnnCircuit {
  checkQcnnDesign(design, numClasses);
  const { circuit: raw, layers, readout, owner } = qcnnLayout(design, numClasses);
  const observables: Observable[] = (design.readout ?? 'born') === 'z'
    ? readout.map((q) => `Z${q}`)
    : Array.from({ length: numClasses }, (_, o) => outcomeProjector(readout, o));
  const idle = idleWeights(raw, observables);
  return {
    circuit: pinWeights(raw, idle), nValues: raw.numInputs, layers, readout, observables,
    pinned: idle.map((j) => owner[j]),
  };
}
