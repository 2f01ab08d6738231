/**
 * Observables of layer configs. tfjs serialisation snake-cases (and so lower-cases) string values when a
 * model is saved, turning 'Z0 Z1' into 'z0 _z1'; configs therefore store Pauli strings in lower case
 * and layers read them back case-insensitively.
 */
import { Observable, PauliSum } from '../sim';
import { show } from './validate';
import { badArgument } from '../util/errors';

/** An observable with its Pauli letters in upper case (as the simulator parses them). */
export function normalizeObservable(o: Observable, arg: string): Observable {
  if (typeof o === 'string') return o.toUpperCase();
  if (o && typeof o === 'object' && Array.isArray((o as PauliSum).terms)) {
    return { terms: (o as PauliSum).terms.map(([c, s]) => [c, typeof s === 'string' ? s.toUpperCase() : s] as [number, string]) };
  }
  throw badArgument(`${arg}: expected a Pauli string like 'Z0' or { terms: [[coeff, 'Z0 Z1'], …] }, got ${show(o)}`);
}

/** The list of observables checked for shape and normalised (undefined stays undefined). */
export function normalizeObservables(list: unknown, arg = 'observables'): Observable[] | undefined {
  if (list == null) return undefined;
  if (!Array.isArray(list) || list.length === 0) throw badArgument(`${arg}: expected a non-empty array of Pauli strings, got ${show(list)}`);
  return list.map((o, i) => normalizeObservable(o as Observable, `${arg}[${i}]`));
}

/** The form stored in a layer config (lower case, so that tfjs's key/value mangling leaves it intact). */
export function observablesForConfig(list: readonly Observable[]): Array<string | { terms: Array<[number, string]> }> {
  return list.map((o) => (typeof o === 'string' ? o.toLowerCase() : { terms: o.terms.map(([c, s]) => [c, s.toLowerCase()] as [number, string]) }));
}

/** ⟨Z⟩ on each of n qubits: the default read-out. */
export function defaultObservables(n: number): Observable[] {
  return Array.from({ length: n }, (_, q) => `Z${q}`);
}
