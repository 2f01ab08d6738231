/**
 * Noise: single-qubit Kraus channels applied after gates, and classical read-out error. Parameters are
 * probabilities in [0, 1] (fixed numbers, not trained).
 */
import { CMatrix, GateName, GATES } from './gates';

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

/** A noise model for `simulateDensity` / `expval(…, { noise })`. */
export interface NoiseModel {
  channels?: ChannelSpec[];
  /** A number means a symmetric error p01 = p10. */
  readout?: number | ReadoutError;
}

const CHANNELS: ChannelName[] = ['depolarizing', 'bit-flip', 'phase-flip', 'amplitude-damping', 'phase-damping'];

function checkProbability(p: number, where: string): void {
  if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1) throw new Error(`${where}: expected a probability in [0, 1], got ${p}`);
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
    default: throw new Error(`noise channel: expected one of ${CHANNELS.join(', ')}, got '${channel as string}'`);
  }
}

/**
 * The channel as a 4×4 superoperator on the vectorised density matrix, acting on (column bit, row bit)
 * of one qubit: S[(c' + 2r'), (c + 2r)] = Σ_k K[r'][r] · conj(K[c'][c]).
 */
export function superoperator(kraus: readonly CMatrix[]): CMatrix {
  const re = Array.from({ length: 4 }, () => new Array<number>(4).fill(0));
  const im = Array.from({ length: 4 }, () => new Array<number>(4).fill(0));
  for (const k of kraus) {
    for (let r2 = 0; r2 < 2; r2++) for (let c2 = 0; c2 < 2; c2++) for (let r = 0; r < 2; r++) for (let c = 0; c < 2; c++) {
      const ar = k.re[r2][r], ai = k.im[r2][r], br = k.re[c2][c], bi = -k.im[c2][c];
      re[c2 + 2 * r2][c + 2 * r] += ar * br - ai * bi;
      im[c2 + 2 * r2][c + 2 * r] += ar * bi + ai * br;
    }
  }
  return { re, im };
}

/** Validates a noise model against an n-qubit circuit; errors name the offending field. */
export function checkNoiseModel(noise: NoiseModel, nQubits: number): void {
  if (typeof noise !== 'object' || noise === null) throw new Error(`noise: expected { channels?, readout? }, got ${String(noise)}`);
  (noise.channels ?? []).forEach((c, i) => {
    const where = `noise.channels[${i}]`;
    if (!CHANNELS.includes(c.channel)) throw new Error(`${where}.channel: expected one of ${CHANNELS.join(', ')}, got '${c.channel}'`);
    checkProbability(c.p, `${where}.p`);
    c.gates?.forEach((g) => { if (!(g in GATES)) throw new Error(`${where}.gates: unknown gate '${g}'`); });
    c.qubits?.forEach((q) => {
      if (!Number.isInteger(q) || q < 0 || q >= nQubits) throw new Error(`${where}.qubits: expected qubits in [0, ${nQubits - 1}], got ${q}`);
    });
  });
  if (noise.readout !== undefined) {
    const r = typeof noise.readout === 'number' ? { p01: noise.readout, p10: noise.readout } : noise.readout;
    checkProbability(r.p01, 'noise.readout.p01');
    checkProbability(r.p10, 'noise.readout.p10');
  }
}

/** The read-out confusion matrix C[read][true] of a noise model, or undefined when there is none. */
export function readoutConfusion(noise: NoiseModel): CMatrix | undefined {
  if (noise.readout === undefined) return undefined;
  const { p01, p10 } = typeof noise.readout === 'number' ? { p01: noise.readout, p10: noise.readout } : noise.readout;
  if (p01 === 0 && p10 === 0) return undefined;
  return m([[1 - p01, p10], [p01, 1 - p10]]);
}
