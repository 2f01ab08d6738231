/** qkc: hybrid quantum-classical convolutional neural networks on TensorFlow.js. */
export { ready, parseBackendChoice, tf } from './backend';
export type { BackendChoice, BackendInfo } from './backend';
export * from './sim';
export * from './data';
export * from './inspect';
export * from './train';
export * from './viz';
export * from './qkc';
export * from './pooling';
export * from './models';
export * from './experiments';
export * from './figures';
export * from './analysis';
export * from './studies';
export * from './device';
