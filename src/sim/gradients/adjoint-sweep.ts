/**
 * The backward sweep of adjoint differentiation (Jones & Gacon, 2020) on host state batches: one pass
 * from the last op to the first that un-computes the state with M†, reads each parametrised op's
 * derivative as an inner product with the cotangent, and carries the cotangent back with M†.
 * Memory is two (plus the cotangents') state batches, whatever the circuit depth.
 */
import { TermOp } from '../gate-terms';
import { HostAngle, HostStates, hostApply, hostInner } from '../host/host-kernel';

/**
 * Sweeps back over `ops`. On entry `psi` holds the final states (B rows) and `lambda` the cotangents
 * (k·B rows; row r pairs with ψ row r mod B), e.g. 2·O|ψ⟩ for ⟨O⟩ or ∂L/∂re + i·∂L/∂im for a loss L of
 * the state. Both are updated in place: on exit `psi` holds the initial states and `lambda` holds U†λ,
 * the cotangent of the initial states. Returns, for every op t with `wanted(t)`, the per-λ-row
 * derivatives dL/dθ_t = Re⟨λ_t| dM_t/dθ |ψ_{t−1}⟩ (undefined for the others).
 */
export function adjointSweep(
  ops: readonly TermOp[], angles: readonly (HostAngle | undefined)[], psi: HostStates, lambda: HostStates,
  wanted: (t: number) => boolean,
): (Float64Array | undefined)[] {
  if (lambda.rows % psi.rows !== 0) throw new Error(`adjointSweep(lambda): expected a multiple of ${psi.rows} rows, got ${lambda.rows}`);
  const grads: (Float64Array | undefined)[] = new Array(ops.length).fill(undefined);
  for (let t = ops.length - 1; t >= 0; t--) {
    const op = ops[t], angle = angles[t];
    hostApply(psi, op, angle, 'inverse');
    if (op.angle !== undefined && wanted(t)) grads[t] = hostInner(lambda, psi, op, angle, 'derivative');
    hostApply(lambda, op, angle, 'inverse');
  }
  return grads;
}
