/** Analysis: capture of intermediate patch states and the entanglement / information studies of quantum pooling, with plotly figure builders. */
export { captureChunks, forEachCapture, captureStates, quantumLayersOf, patchesPerImage } from './capture';
export type { CaptureTarget, CapturedLayer, CaptureStatesOptions, PatchStates } from './capture';
export { convPooling, randomPoolWeights } from './conv-pooling';
export type { AppendedPool, InCircuitPool, PoolSpec, PoolInfo, ConvPooling } from './conv-pooling';
export type { AnalysisImages } from './images';
