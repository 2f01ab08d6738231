/**
 * Observables: Pauli strings ('Z0', 'X1 Y2', 'Z0*Z1') and weighted sums of them
 * ('0.5*Z0 Z1 - 0.25*X2', or { terms: [[0.5, 'Z0 Z1'], [-0.25, 'X2']] }).
 */
import { ArgumentError, show } from '../util/validate';

/** One Pauli factor. */
export interface PauliFactor { qubit: number; op: 'X' | 'Y' | 'Z' }
/** coeff · ⊗ factors (an empty factor list is the identity). */
export interface PauliTerm { coeff: number; factors: PauliFactor[] }
/** A weighted sum of Pauli strings. */
export interface PauliSum { terms: Array<[number, string]> }
/** What `expval` accepts per observable. */
export type Observable = string | PauliSum;

const FACTOR = /^([XYZI])(\d+)$/;

/**
 * Largest Σ|coefficient| of one observable: half the float32 range the simulator computes in, so that no
 * read-out sum or expectation (|⟨O⟩| ≤ Σ|c|) can overflow to Infinity or turn into NaN.
 */
export const MAX_OBSERVABLE_WEIGHT = 2 ** 127;

/** Throws unless every coefficient is finite and their absolute sum is at most MAX_OBSERVABLE_WEIGHT. */
function checkCoefficients(terms: readonly PauliTerm[], texts: readonly string[], where: string): PauliTerm[] {
  let total = 0;
  terms.forEach((t, i) => {
    if (!Number.isFinite(t.coeff)) throw new ArgumentError(where, 'a finite coefficient', `${t.coeff} from '${texts[i]}'`);
    total += Math.abs(t.coeff);
  });
  if (total > MAX_OBSERVABLE_WEIGHT) {
    throw new ArgumentError(where, 'coefficients whose absolute sum is at most 2^127 ≈ 1.7e38 (half the float32 range the simulator computes in)', total.toExponential(3));
  }
  return terms as PauliTerm[];
}

/** Parses one Pauli product such as 'X1 Y2', 'Z0*Z1' or 'I'; `where` names the argument in errors. */
export function parsePauliProduct(text: string, nQubits: number, where: string): PauliFactor[] {
  const tokens = text.trim().split(/[\s*⊗]+/).filter((t) => t.length > 0);
  if (tokens.length === 0) throw new ArgumentError(where, "a Pauli string like 'Z0' or 'X1 Y2'", show(text));
  const factors: PauliFactor[] = [];
  const seen = new Set<number>();
  for (const tok of tokens) {
    if (tok === 'I') continue;
    const m = FACTOR.exec(tok);
    if (!m) throw new ArgumentError(where, "Pauli factors like 'X0', 'Y1', 'Z2'", `'${tok}' in '${text}'`);
    const qubit = Number(m[2]);
    if (qubit >= nQubits) throw new ArgumentError(where, `qubit indices in [0, ${nQubits - 1}]`, `qubit ${qubit} in '${text}' (out of range)`);
    if (seen.has(qubit)) throw new ArgumentError(where, 'each qubit at most once', `qubit ${qubit} twice in '${text}'`);
    seen.add(qubit);
    if (m[1] !== 'I') factors.push({ qubit, op: m[1] as 'X' | 'Y' | 'Z' });
  }
  return factors;
}

/** Parses an observable into weighted Pauli terms, checking qubits against `nQubits`. */
export function parseObservable(obs: Observable, nQubits: number, where = 'observable'): PauliTerm[] {
  if (typeof obs === 'object' && obs !== null && Array.isArray((obs as PauliSum).terms)) {
    const given = (obs as PauliSum).terms;
    const terms = given.map((entry, i) => {
      if (!Array.isArray(entry) || entry.length !== 2) throw new ArgumentError(`${where}.terms[${i}]`, "a pair [coeff, 'Z0 Z1']", show(entry));
      const [coeff, s] = entry;
      if (typeof coeff !== 'number' || !Number.isFinite(coeff)) throw new ArgumentError(`${where}.terms[${i}]`, 'a finite coefficient', show(coeff, 'number'));
      if (typeof s !== 'string') throw new ArgumentError(`${where}.terms[${i}]`, "a Pauli string like 'Z0 Z1'", show(s, 'string'));
      return { coeff, factors: parsePauliProduct(s, nQubits, `${where}.terms[${i}]`) };
    });
    return checkCoefficients(terms, given.map((t) => String(t[0])), where);
  }
  if (typeof obs !== 'string') throw new ArgumentError(where, "a Pauli string or { terms: [[coeff, 'Z0 Z1'], …] }", show(obs));
  // Split a sum at + or - signs that are not part of a number's exponent.
  const parts = obs.replace(/\s+/g, ' ').trim().split(/(?<![eE*])(?=[+-])/).map((p) => p.trim()).filter((p) => p.length > 0);
  if (parts.length === 0) throw new ArgumentError(where, "a Pauli string like 'Z0' or 'X1 Y2'", show(obs));
  const terms = parts.map((part) => {
    const m = /^([+-])?\s*(?:(\d*\.?\d+(?:[eE][+-]?\d+)?)\s*\*?\s*)?(.*)$/.exec(part) as RegExpExecArray;
    const sign = m[1] === '-' ? -1 : 1;
    const coeff = sign * (m[2] !== undefined ? Number(m[2]) : 1);
    return { coeff, factors: parsePauliProduct(m[3], nQubits, where) };
  });
  return checkCoefficients(terms, parts, where);
}

/** The basis-change key of a term: which qubits need X or Y rotated into Z ('' when all Z). */
export function basisKey(factors: readonly PauliFactor[]): string {
  return factors.filter((f) => f.op !== 'Z').map((f) => `${f.op}${f.qubit}`).sort().join(' ');
}

/** ±1 eigenvalue of Z_{q1}…Z_{qk} on every basis state: (−1)^(parity of the bits on those qubits). */
export function zSigns(qubits: readonly number[], nQubits: number): Float32Array {
  const dim = 1 << nQubits, out = new Float32Array(dim);
  let mask = 0;
  for (const q of qubits) mask |= 1 << q;
  for (let j = 0; j < dim; j++) {
    let v = j & mask, parity = 0;
    while (v) { parity ^= 1; v &= v - 1; }
    out[j] = parity ? -1 : 1;
  }
  return out;
}
