/**
 * Observables: Pauli strings ('Z0', 'X1 Y2', 'Z0*Z1') and weighted sums of them
 * ('0.5*Z0 Z1 - 0.25*X2', or { terms: [[0.5, 'Z0 Z1'], [-0.25, 'X2']] }).
 */

/** One Pauli factor. */
export interface PauliFactor { qubit: number; op: 'X' | 'Y' | 'Z' }
/** coeff · ⊗ factors (an empty factor list is the identity). */
export interface PauliTerm { coeff: number; factors: PauliFactor[] }
/** A weighted sum of Pauli strings. */
export interface PauliSum { terms: Array<[number, string]> }
/** What `expval` accepts per observable. */
export type Observable = string | PauliSum;

const FACTOR = /^([XYZI])(\d+)$/;

/** Parses one Pauli product such as 'X1 Y2', 'Z0*Z1' or 'I'; `where` names the argument in errors. */
export function parsePauliProduct(text: string, nQubits: number, where: string): PauliFactor[] {
  const tokens = text.trim().split(/[\s*⊗]+/).filter((t) => t.length > 0);
  if (tokens.length === 0) throw new Error(`${where}: expected a Pauli string like 'Z0' or 'X1 Y2', got '${text}'`);
  const factors: PauliFactor[] = [];
  const seen = new Set<number>();
  for (const tok of tokens) {
    if (tok === 'I') continue;
    const m = FACTOR.exec(tok);
    if (!m) throw new Error(`${where}: expected Pauli factors like 'X0', 'Y1', 'Z2', got '${tok}' in '${text}'`);
    const qubit = Number(m[2]);
    if (qubit >= nQubits) throw new Error(`${where}: qubit ${qubit} in '${text}' is out of range [0, ${nQubits - 1}]`);
    if (seen.has(qubit)) throw new Error(`${where}: qubit ${qubit} appears twice in '${text}'`);
    seen.add(qubit);
    if (m[1] !== 'I') factors.push({ qubit, op: m[1] as 'X' | 'Y' | 'Z' });
  }
  return factors;
}

/** Parses an observable into weighted Pauli terms, checking qubits against `nQubits`. */
export function parseObservable(obs: Observable, nQubits: number, where = 'observable'): PauliTerm[] {
  if (typeof obs === 'object' && obs !== null && Array.isArray((obs as PauliSum).terms)) {
    return (obs as PauliSum).terms.map(([coeff, s], i) => {
      if (typeof coeff !== 'number' || !Number.isFinite(coeff)) throw new Error(`${where}.terms[${i}]: expected a finite coefficient, got ${coeff}`);
      return { coeff, factors: parsePauliProduct(String(s), nQubits, `${where}.terms[${i}]`) };
    });
  }
  if (typeof obs !== 'string') throw new Error(`${where}: expected a Pauli string or { terms: [[coeff, 'Z0 Z1'], …] }, got ${JSON.stringify(obs)}`);
  // Split a sum at + or - signs that are not part of a number's exponent.
  const parts = obs.replace(/\s+/g, ' ').trim().split(/(?<![eE*])(?=[+-])/).map((p) => p.trim()).filter((p) => p.length > 0);
  if (parts.length === 0) throw new Error(`${where}: expected a Pauli string like 'Z0' or 'X1 Y2', got '${obs}'`);
  return parts.map((part) => {
    const m = /^([+-])?\s*(?:(\d*\.?\d+(?:[eE][+-]?\d+)?)\s*\*?\s*)?(.*)$/.exec(part) as RegExpExecArray;
    const sign = m[1] === '-' ? -1 : 1;
    const coeff = sign * (m[2] !== undefined ? Number(m[2]) : 1);
    return { coeff, factors: parsePauliProduct(m[3], nQubits, where) };
  });
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
