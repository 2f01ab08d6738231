/** Quantum layers for tfjs models: QuantumConv2D, the shared QuantumLayer base, cost summaries and model files. */
export { QuantumConv2D } from './quantum-conv2d';
export type { QuantumConv2DArgs } from './quantum-conv2d';
export { QuantumLayer } from './quantum-layer';
export type { QuantumLayerArgs, QuantumLayerCost, KernelSpec, CaptureOptions, QuantumCapture, BaseLayerArgs } from './quantum-layer';
export { DIFF_METHODS, shiftedParameters, measurementBases } from './cost';
export type { DiffMethod } from './cost';
export { SIMULATION_METHODS } from './run-kernel';
export type { SimulationMethod, KernelNoise } from './run-kernel';
export { ANSATZE, ENCODINGS, ENTANGLEMENTS, buildKernelCircuit, encodingQubits, appendEncoding, entanglerMap } from './ansatz';
export type { AnsatzName, Encoding, Entanglement, KernelCircuitSpec, BuiltKernel } from './ansatz';
export { extractPatches, windowGrid, outputLength, identityKernel } from './patches';
export type { Padding, WindowSpec } from './patches';
export { resolveInit, initialValues, seededInitializer } from './init';
export type { WeightInit, ResolvedInit } from './init';
export { fileSystemIO, registerFileSystemRouter, MODEL_JSON, WEIGHTS_BIN } from './file-io';
export { summarizeModel } from './summary';
export type { ModelSummary, LayerSummary } from './summary';
