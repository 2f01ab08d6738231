/** Entanglement-based quantum pooling: pool blocks, pairing schedules, in-kernel pooling and the QuantumPooling layer. */
export { POOL_BLOCKS, POOL_BLOCK_PARAMS, appendPoolBlock, poolBlockCircuit } from './blocks';
export type { PoolBlockName } from './blocks';
export { poolingSchedule, checkSchedule } from './schedule';
export type { PoolPair, PoolSchedule } from './schedule';
export { PARAM_SHARINGS, POOL_READOUTS, poolKernel, keptObservables, parameterSets } from './kernel-pooling';
export type { ParamSharing, PoolReadout, PoolKernelOptions, PooledKernel } from './kernel-pooling';
export { SQUASHES, squashValues, neighbourhoodRows } from './neighbourhoods';
export type { Squash } from './neighbourhoods';
export { QuantumPooling } from './quantum-pooling';
export type { QuantumPoolingArgs, PoolingCapture } from './quantum-pooling';
export { LearnedPooling2D, POOL_STATISTICS, mixedPool, statisticsForParameters } from './learned-pooling';
export type { LearnedPooling2DArgs, PoolStatistic } from './learned-pooling';
