/** Robustness of trained hybrid models to finite shots and device noise: model copies with other quantum settings, the two studies and their figures. */
export { withQuantumSettings } from './quantum-settings';
export type { QuantumSettings } from './quantum-settings';
export { shotsStudy, noiseStudy } from './studies';
export type { Scores, ShotsRow, ShotsStudy, NoiseRow, NoiseStudy, StudyOptions } from './studies';
export { shotsFigure, noiseFigure } from './figures';
