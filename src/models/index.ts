/** The model zoo: named model factories (hybrid QCNNs and the classical controls built by the same functions), parameter splits and architecture hashes. */
export { MODELS, getModelSpec, buildModel, HYBRID_SMALL, HYBRID_STRONG, HYBRID_KPOOL, HYBRID_QPOOL, HYBRID_FRONT_BN, HYBRID_FRONT_CONV, HYBRID_FRONT_CONV4, HYBRID_QPOOL_LEARNED } from './registry';
export type { ModelSpec, ModelFamily } from './registry';
export { resolveModelOptions, INPUT_LIMITS, UnsupportedInputError } from './model-options';
export type { ModelOptions, ResolvedModelOptions } from './model-options';
export { buildHybridDesign, describeDesignLayers, hybridFront, kernelQubits, spatialQuantumPoolingParameters, spatialQuantumPoolingArgs, PATCH_QUBITS } from './hybrid';
export type { HybridDesign, HybridPooling, HybridFrontLayers, HybridWindow } from './hybrid';
export { buildLinear, buildLeNet5, buildSmallCnn } from './classical';
export { SeededLayers } from './seeded-layers';
export type { Activation } from './seeded-layers';
export { ImageResize, ImageGrayscale, LUMA_WEIGHTS } from './image-resize';
export type { ImageResizeArgs } from './image-resize';
export { parameterSplit } from './params';
export { architectureHash } from './architecture';
export type { ParameterSplit } from './params';
