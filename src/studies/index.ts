/**
 * Studies of trained models beyond the suite, each writing or returning plain results for src/figures to
 * draw: robustness to finite shots and device noise (model copies with other quantum settings), and the
 * entanglement analysis of quantum pooling (trains or loads a model, runs src/analysis' estimators).
 */
export { withQuantumSettings } from './quantum-settings';
export type { QuantumSettings } from './quantum-settings';
export { shotsStudy, noiseStudy } from './studies';
export type { Scores, ShotsRow, ShotsStudy, NoiseRow, NoiseStudy, StudyOptions } from './studies';
export { runEntanglementAnalysis, ENTANGLEMENT_RESULTS_FILE, ENTANGLEMENT_RESULTS_FORMAT } from './entanglement-run';
export type { EntanglementAnalysisOptions, EntanglementAnalysisResults, AnalysisSource } from './entanglement-run';
export { readEntanglementAnalysis, ENTANGLEMENT_ANALYSIS_COMMAND } from './entanglement-results';
export {
  runPoolingStudy, runPoolingStudyRun, summarizePoolingStudy, readPoolingStudy, resolvePoolingStudySettings, poolingStudyRunFile,
  poolingStudyArchitecture, readPoolingStudyRun,
  POOLING_STUDY_FILE, POOLING_STUDY_FORMAT, POOLING_STUDY_RUN_FORMAT, POOLING_STUDY_COMMAND, POOLING_STUDY_DEFAULTS, POOLING_STUDY_REFERENCE,
} from './pooling-study';
export type { PoolingStudySettings, PoolingStudyRun, PoolingStudyRow, PoolingStudyDifference, PoolingStudySummary, PoolingStudyOptions } from './pooling-study';
