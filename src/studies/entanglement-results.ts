/**
 * Reading the entanglement-analysis result file back (what notebooks and `npm run figures` call, so that a
 * plot never requires retraining), and the command that writes it.
 */
import { readFormattedJson } from '../util';
import { ENTANGLEMENT_RESULTS_FILE, ENTANGLEMENT_RESULTS_FORMAT, type EntanglementAnalysisResults } from './entanglement-run';

/** Reads and checks a result file written by `runEntanglementAnalysis` (default ENTANGLEMENT_RESULTS_FILE). */
export async function readEntanglementAnalysis(file = ENTANGLEMENT_RESULTS_FILE): Promise<EntanglementAnalysisResults> {
  const r = readFormattedJson<Partial<EntanglementAnalysisResults>>(file, ENTANGLEMENT_RESULTS_FORMAT, 'run runEntanglementAnalysis() first');
  for (const k of ['entanglement', 'information', 'purity', 'shots'] as const) {
    if (!r[k] || typeof r[k] !== 'object') throw new Error(`readEntanglementAnalysis: '${file}' lacks '${k}'`);
  }
  return r as EntanglementAnalysisResults;
}

/** How to produce the result file (for "missing figure" messages). */
export const ENTANGLEMENT_ANALYSIS_COMMAND = 'npm run analysis:entanglement (-- --full for 8,000 images and 10 epochs; -- --model-dir DIR for a qkc run)';
