/** Device noise: quantum layers' circuits transpiled by Qiskit for a named IBM device snapshot and run under its calibrated noise by qkc's executors (superoperator, density). */
export { DEVICE_SCRIPT, transpileForDevices, deviceKernel } from './device-kernel';
export type { DeviceInfo, DeviceKernel, DeviceRequest, TranspiledAnswer } from './device-kernel';
export { noiseEvaluate, readNoiseEvalRecords, NOISE_EVAL_FORMAT } from './noise-eval';
export type { NoiseEvalOptions, NoiseEvaluation, NoiseEvalRecord, DeviceEvaluation, AerCheck } from './noise-eval';
