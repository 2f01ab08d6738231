/**
 * Execution: the executors (tf state vector, compiled block, host kernel, density matrix, composed
 * superoperators for device kernels) and the one decision of which runs (`explainExecution`), with the
 * up-front memory guard.
 */
export { explainExecution, describeChoice, executorSetting, AUTO_COMPILE_MAX_QUBITS, HOST_ENGINE_MIN_QUBITS } from './choose';
export type { ExecutionRequest, ExecutionChoice, GradientKind, ExecutorAliases } from './choose';
export { StateTooLargeError, DEFAULT_MAX_STATE_BYTES, MAX_STATE_BYTES_ENV, maxStateBytes, stateBytes, formatBytes } from './memory';
export { EXECUTOR_NAMES, EXECUTOR_SETTINGS, DIFF_METHOD_NAMES } from './types';
export type { Executor, ExecutorName, ExecutorSetting, DiffMethod, ExpvalFn, SimulateOptions, ExpvalOptions, SimEngine, ExpvalMethod, GradientFnOptions } from './types';
export { executors, batchOf } from './registry';
export { tfExecutor, measurePlan } from './tf-statevector';
export { hostExecutor } from './host';
export { compiledExecutor } from './compiled';
export { densityExecutor } from './density';
export { superoperatorExecutor, superoperatorBlocker, SUPEROPERATOR_MAX_QUBITS, SUPEROPERATOR_MIN_ROWS } from './superoperator';
