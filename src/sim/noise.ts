/**
 * Noise: single-qubit Kraus channels applied after gates, channels of any arity after given operations
 * (a device's calibrated gate errors), and classical read-out error (the same on every qubit, or one per
 * qubit). Parameters are fixed numbers, not trained.
 */
import { ArgumentError, show } from '../util/validate';
import { CMatrix, GateName, GATES } from './gates';
import { badArgument } from '../util/errors';

/** Names of the supported single-qubit channels. */
export type ChannelName = 'depolarizing' | 'bit-flip' | 'phase-flip' | 'amplitude-damping' | 'phase-damping';

/** A channel applied after gates: to every wire of every gate, or only to the listed gates / qubits. */
export interface ChannelSpec {
  channel: ChannelName;
  /** Error probability (γ for amplitude damping, λ for phase damping). */
  p: number;
  /** Only after these gates (all gates when omitted). */
  gates?: GateName[];
  /** Only on these qubits (all when omitted). */
  qubits?: number[];
}

/** Read-out error: P(read 1 | state 0) = p01 and P(read 0 | state 1) = p10 on every qubit. */
export interface ReadoutError { p01: number; p10: number }

/**
 * A channel applied right after operation `after` of the circuit (its index in `circuit.ops`) on `wires`
 * (first wire least significant in the Kraus matrices, as for gates): for device noise models, where each
 * gate on each qubit has its own calibrated error.
 */
export interface OpChannel { after: number; wires: number[]; kraus: CMatrix[] }

/** A noise model for `simulateDensity` / `expval(…, { noise })`. */
export interface NoiseModel {
  channels?: ChannelSpec[];
  /** Channels after given operations (applied after `channels`, in the order listed). */
  opChannels?: OpChannel[];
  /** A number means a symmetric error p01 = p10; an array gives one error per qubit. */
  readout?: number | ReadoutError | ReadoutError[];
}

const CHANNELS: ChannelName[] = ['depolarizing', 'bit-flip', 'phase-flip', 'amplitude-damping', 'phase-damping'];

function checkProbability(p: number, where: string): void {
  if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1) throw badArgument(`${where}: expected a probability in [0, 1], got ${p}`);
}

const m = (re: number[][], im?: number[][]): CMatrix => ({ re, im: im ?? re.map((r) => r.map(() => 0)) });

/**
 * Kraus operators of a channel. Depolarizing follows Qiskit: ρ → (1−p)ρ + p·I/2, i.e. weights 1−3p/4 on I
 * and p/4 on each of X, Y, Z.
 */
export function krausOperators(channel: ChannelName, p: number): CMatrix[] {
  checkProbability(p, `${channel}(p)`);
  const a = Math.sqrt(1 - p), b = Math.sqrt(p);
  switch (channel) {
    case 'depolarizing': {
      const i = Math.sqrt(1 - (3 * p) / 4), o = Math.sqrt(p / 4);
      return [m([[i, 0], [0, i]]), m([[0, o], [o, 0]]), m([[0, 0], [0, 0]], [[0, -o], [o, 0]]), m([[o, 0], [0, -o]])];
    }
    case 'bit-flip': return [m([[a, 0], [0, a]]), m([[0, b], [b, 0]])];
    case 'phase-flip': return [m([[a, 0], [0, a]]), m([[b, 0], [0, -b]])];
    case 'amplitude-damping': return [m([[1, 0], [0, a]]), m([[0, b], [0, 0]])];
    case 'phase-damping': return [m([[1, 0], [0, a]]), m([[0, 0], [0, b]])];
    default: throw badArgument(`noise channel: expected one of ${CHANNELS.join(', ')}, got '${channel as string}'`);
  }
}

/**
 * The channel as a superoperator on the vectorised density matrix of its k qubits (4^k × 4^k), acting on
 * (column bits, row bits) with the column bits low: S[(c' + 2^k·r'), (c + 2^k·r)] = Σ_K K[r'][r]·conj(K[c'][c]).
 */
export function superoperator(kraus: readonly CMatrix[]): CMatrix {
  const d = kraus[0].re.length, D = d * d;
  const re = Array.from({ length: D }, () => new Array<number>(D).fill(0));
  const im = Array.from({ length: D }, () => new Array<number>(D).fill(0));
  for (const k of kraus) {
    for (let r2 = 0; r2 < d; r2++) for (let c2 = 0; c2 < d; c2++) for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) {
      const ar = k.re[r2][r], ai = k.im[r2][r], br = k.re[c2][c], bi = -k.im[c2][c];
      if ((ar === 0 && ai === 0) || (br === 0 && bi === 0)) continue;
      re[c2 + d * r2][c + d * r] += ar * br - ai * bi;
      im[c2 + d * r2][c + d * r] += ar * bi + ai * br;
    }
  }
  return { re, im };
}

/** Checks an op channel: operation index, distinct wires, 2^k × 2^k Kraus operators with Σ K†K = I (to 1e-6). */
function checkOpChannel(c: OpChannel, where: string, nQubits: number, nOps?: number): void {
  if (!Number.isInteger(c.after) || c.after < 0 || (nOps !== undefined && c.after >= nOps)) {
    throw badArgument(`${where}.after: expected an operation index in [0, ${nOps === undefined ? 'nOps' : nOps - 1}], got ${c.after}`);
  }
  if (!Array.isArray(c.wires) || c.wires.length < 1 || new Set(c.wires).size !== c.wires.length || c.wires.some((q) => !Number.isInteger(q) || q < 0 || q >= nQubits)) {
    throw badArgument(`${where}.wires: expected distinct qubits in [0, ${nQubits - 1}], got ${JSON.stringify(c.wires)}`);
  }
  const d = 1 << c.wires.length;
  if (!Array.isArray(c.kraus) || c.kraus.length === 0 || c.kraus.some((k) => k.re?.length !== d || k.im?.length !== d || k.re.some((r) => r.length !== d) || k.im.some((r) => r.length !== d))) {
    throw badArgument(`${where}.kraus: expected a non-empty list of ${d}×${d} matrices { re, im } for ${c.wires.length} wire(s)`);
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let sr = 0, si = 0; // (Σ K†K)_ij
    for (const k of c.kraus) for (let r = 0; r < d; r++) {
      sr += k.re[r][i] * k.re[r][j] + k.im[r][i] * k.im[r][j];
      si += k.re[r][i] * k.im[r][j] - k.im[r][i] * k.re[r][j];
    }
    if (!Number.isFinite(sr) || Math.abs(sr - (i === j ? 1 : 0)) > 1e-6 || Math.abs(si) > 1e-6) {
      throw badArgument(`${where}.kraus: expected a trace-preserving channel (Σ K†K = I), but entry [${i}][${j}] is ${sr.toFixed(6)}${si >= 0 ? '+' : ''}${si.toFixed(6)}i`);
    }
  }
}

/** The read-out errors of a model, one per qubit (undefined when there is none). */
function readoutPerQubit(noise: NoiseModel, nQubits: number): ReadoutError[] | undefined {
  const r = noise.readout;
  if (r === undefined) return undefined;
  if (Array.isArray(r)) return r;
  const one = typeof r === 'number' ? { p01: r, p10: r } : r;
  return Array.from({ length: nQubits }, () => one);
}

/** Validates a noise model against an n-qubit circuit (of `nOps` operations); errors name the offending field. */
export function checkNoiseModel(noise: NoiseModel, nQubits: number, nOps?: number): void {
  if (typeof noise !== 'object' || noise === null) throw badArgument(`noise: expected { channels?, opChannels?, readout? }, got ${String(noise)}`);
  if (noise.channels !== undefined && !Array.isArray(noise.channels)) throw new ArgumentError('noise.channels', 'an array of { channel, p }', show(noise.channels));
  (noise.channels ?? []).forEach((c, i) => {
    const where = `noise.channels[${i}]`;
    if (!CHANNELS.includes(c.channel)) throw badArgument(`${where}.channel: expected one of ${CHANNELS.join(', ')}, got '${c.channel}'`);
    checkProbability(c.p, `${where}.p`);
    c.gates?.forEach((g) => { if (!(g in GATES)) throw badArgument(`${where}.gates: unknown gate '${g}'`); });
    c.qubits?.forEach((q) => {
      if (!Number.isInteger(q) || q < 0 || q >= nQubits) throw badArgument(`${where}.qubits: expected qubits in [0, ${nQubits - 1}], got ${q}`);
    });
  });
  if (noise.opChannels !== undefined && !Array.isArray(noise.opChannels)) throw badArgument(`noise.opChannels: expected an array, got ${typeof noise.opChannels}`);
  (noise.opChannels ?? []).forEach((c, i) => checkOpChannel(c, `noise.opChannels[${i}]`, nQubits, nOps));
  if (Array.isArray(noise.readout) && noise.readout.length !== nQubits) {
    throw badArgument(`noise.readout: expected one read-out error per qubit (${nQubits}), got ${noise.readout.length}`);
  }
  readoutPerQubit(noise, nQubits)?.forEach((r, q) => {
    const where = Array.isArray(noise.readout) ? `noise.readout[${q}]` : 'noise.readout';
    checkProbability(r.p01, `${where}.p01`);
    checkProbability(r.p10, `${where}.p10`);
  });
}

/** The read-out confusion matrices C[read][true] per qubit, or undefined when there is no read-out error. */
export function readoutConfusion(noise: NoiseModel, nQubits: number): (CMatrix | undefined)[] | undefined {
  const per = readoutPerQubit(noise, nQubits);
  if (!per || per.every((r) => r.p01 === 0 && r.p10 === 0)) return undefined;
  return per.map(({ p01, p10 }) => (p01 === 0 && p10 === 0 ? undefined : m([[1 - p01, p10], [p01, 1 - p10]])));
}
