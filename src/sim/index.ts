/** The simulator: circuits, batched differentiable simulation, gradients, noise, QASM and drawing. */
export { Circuit, MAX_QUBITS } from './circuit';
export type { Operation, CircuitJSON } from './circuit';
export { input, weight, isParamRef, formatAngle } from './params';
export type { Angle, ParamRef, InputRef, WeightRef } from './params';
export { GATES, gateMatrix, checkUnitary } from './gates';
export type { GateName, GateSpec, CMatrix, ShiftRule } from './gates';
export { zeroState, stateFromArrays, disposeState, isDensity } from './state';
export type { StateBatch, DensityBatch } from './state';
export { simulate } from './statevector';
export type { SimulateOptions } from './statevector';
export type { InputsArg, WeightsArg } from './angles';
export { expval, probabilities, sample, planMeasurement, measurePlan, bornProbabilities } from './measure';
export type { ExpvalOptions, MeasurementPlan } from './measure';
export { parseObservable, parsePauliProduct } from './observables';
export type { Observable, PauliSum, PauliTerm, PauliFactor } from './observables';
