/**
 * Reading the entanglement-analysis result file back (what notebooks and `npm run figures` call, so that a
 * plot never requires retraining), and the command that writes it.
 */
import { promises as fsp } from 'fs';
import { ENTANGLEMENT_RESULTS_FILE, ENTANGLEMENT_RESULTS_FORMAT, type EntanglementAnalysisResults } from './entanglement-run';

/** Reads and checks a result file written by `runEntanglementAnalysis` (default ENTANGLEMENT_RESULTS_FILE). */
export async function readEntanglementAnalysis(file = ENTANGLEMENT_RESULTS_FILE): Promise<EntanglementAnalysisResults> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`readEntanglementAnalysis: cannot read '${file}' (${(e as Error).message}); run runEntanglementAnalysis() first`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`readEntanglementAnalysis: '${file}' is not valid JSON (${(e as Error).message})`);
  }
  const r = json as Partial<EntanglementAnalysisResults>;
  if (r?.format !== ENTANGLEMENT_RESULTS_FORMAT) throw new Error(`readEntanglementAnalysis: '${file}' has format ${JSON.stringify(r?.format)}, expected '${ENTANGLEMENT_RESULTS_FORMAT}'`);
  for (const k of ['entanglement', 'information', 'purity', 'shots'] as const) {
    if (!r[k] || typeof r[k] !== 'object') throw new Error(`readEntanglementAnalysis: '${file}' lacks '${k}'`);
  }
  return r as EntanglementAnalysisResults;
}

/** How to produce the result file (for "missing figure" messages). */
export const ENTANGLEMENT_ANALYSIS_COMMAND = 'npm run analysis:entanglement (-- --full for 8,000 images and 10 epochs; -- --model-dir DIR for a qkc run)';
