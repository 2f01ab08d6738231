/**
 * The compiled executor: [encoding prefix][data-independent block] circuits as matMuls (src/sim/compiled).
 * Its forward run is differentiable through the block's custom gradient (rows contracted first, then
 * the adjoint sweep through the block); parameter-shift runs the circuit's shift plan as stacked
 * block unitaries (weight shifts) and re-encoded rows (input shifts).
 */
import { shiftPlan } from '../shift-plan';
import { compiledFor } from '../compiled/compiled';
import { compiledShiftExpval } from '../compiled/compiled-shift';
import { Executor } from './types';

/** The compiled executor (see the file comment). */
export const compiledExecutor: Executor & Required<Pick<Executor, 'gradient'>> = {
  name: 'compiled',
  expval(circuit, observables, options) {
    return compiledFor(circuit, observables).run(options.inputs, options.weights, { inputGrads: options.inputGrads }, 'expval').expectations;
  },
  gradient(circuit, observables, method, options) {
    if (method === 'parameter-shift') {
      return compiledShiftExpval(circuit, observables, options.inputGrads, shiftPlan(circuit, { inputs: options.inputGrads }));
    }
    // The compiled path's customGrad is the adjoint method (after the contraction over rows).
    return (inputs, weights) => compiledFor(circuit, observables).run(inputs ?? undefined, weights, { inputGrads: options.inputGrads }, options.fn).expectations;
  },
};
