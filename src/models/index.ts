/** The model zoo: named model factories (hybrid QCNNs and the classical controls built by the same functions), parameter splits and architecture hashes. */
export { MODELS, QCNN_MODELS, getModelSpec, buildModel, HYBRID_SMALL, HYBRID_STRONG, HYBRID_KPOOL, HYBRID_QPOOL, HYBRID_QPOOL_LEARNED } from './registry';
export type { ModelSpec, ModelFamily } from './registry';
export { resolveModelOptions, INPUT_LIMITS, UnsupportedInputError } from './model-options';
export type { ModelOptions, ResolvedModelOptions } from './model-options';
export { buildHybridDesign, hybridFront, spatialQuantumPoolingParameters, spatialQuantumPoolingArgs, PATCH_QUBITS } from './hybrid';
export type { HybridDesign, HybridPooling } from './hybrid';
export { buildLinear, buildLeNet5, buildSmallCnn } from './classical';
export { SeededLayers } from './seeded-layers';
export type { Activation } from './seeded-layers';
export { ImageResize, ImageGrayscale, LUMA_WEIGHTS } from './image-resize';
export type { ImageResizeArgs } from './image-resize';
export { parameterSplit } from './params';
export { architectureHash } from './architecture';
export type { ParameterSplit } from './params';
export { QCNN_8, QCNN_16, QCNN_IMAGE_SIDE, QCNN_ENTRIES, ClassLogProbabilities, qcnnCircuit, buildQcnn, buildQcnnMlp, matchedHiddenUnits } from './qcnn';
export type { QcnnEntry } from './qcnn';
export { CONV_BLOCKS, CONV_BLOCK_PARAMS, appendConvBlock, buildQcnnCircuit, qcnnLayout, idleWeights, pinWeights, outcomeProjector, readoutQubits } from './qcnn-circuit';
export type { ConvBlockName, QcnnDesign, QcnnLayer, QcnnCircuit } from './qcnn-circuit';
