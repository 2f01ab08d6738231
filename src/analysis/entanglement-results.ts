/**
 * Reading the entanglement-analysis result file and turning it into figures: what notebooks and
 * `npm run figures` call, so that a plot never requires retraining.
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import type { Figure } from '../viz';
import { entanglementByClassFigure, entanglementHeatmapFigure, purityEntropyFigure, purityTrajectoryFigure } from './entanglement-figures';
import { poolingInformationFigure, shotErrorFigure } from './information-figures';
import { ENTANGLEMENT_RESULTS_FILE, ENTANGLEMENT_RESULTS_FORMAT, EntanglementAnalysisResults } from './run-entanglement';

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

/** Every figure of the entanglement analysis by file-friendly name (plotly specs for src/viz export or showFigure). */
export function entanglementAnalysisFigures(results: EntanglementAnalysisResults): Record<string, Figure> {
  const { before, after } = results.entanglement;
  const conditions = before ? [{ name: 'before training', map: before }, { name: 'after training', map: after }] : [{ name: 'trained', map: after }];
  const figures: Record<string, Figure> = {
    'entanglement-heatmap': entanglementHeatmapFigure(after),
    'entanglement-heatmap-prepool': entanglementHeatmapFigure(after, { quantity: 'prePoolEntropy', title: 'Entanglement across the pooling cut before the pool block (trained kernel)' }),
    'entanglement-by-class': entanglementByClassFigure(conditions),
    'entanglement-by-class-prepool': entanglementByClassFigure(conditions, { quantity: 'prePoolEntropy', title: 'Kernel entanglement across the pooling cut (before the pool block), per digit class' }),
    'pooling-information': poolingInformationFigure(results.information),
    'purity-vs-entropy': purityEntropyFigure(results.purity),
    'purity-trajectory': purityTrajectoryFigure(results.purity),
    'shot-error': shotErrorFigure(results.shots),
  };
  if (before) figures['entanglement-heatmap-before'] = entanglementHeatmapFigure(before, { title: 'Entanglement at pooling before training' });
  return figures;
}

/** How to produce the result file (for "missing figure" messages). */
export const ENTANGLEMENT_ANALYSIS_COMMAND = 'npm run analysis:entanglement (-- --full for 8,000 images and 10 epochs; -- --model-dir DIR for a qkc run)';

const FIGURE_DESCRIPTIONS: Record<string, string> = {
  'entanglement-heatmap': 'entropy between kept and dropped qubits after pooling, per patch, over example digits (trained kernel)',
  'entanglement-heatmap-prepool': 'entanglement across the pooling cut before the pool block, over example digits',
  'entanglement-heatmap-before': 'entropy at pooling per patch over example digits, before training',
  'entanglement-by-class': 'per-class distributions of the mean entropy at pooling, before vs after training',
  'entanglement-by-class-prepool': 'per-class distributions of the kernel entanglement across the pooling cut',
  'pooling-information': 'linear-probe accuracy and mutual-information bounds of pooled features: quantum pool blocks vs trace-out vs avg/max',
  'purity-vs-entropy': 'purity against entropy of pooled states, first and last snapshot',
  'purity-trajectory': 'pooled-state purity and entanglement over training epochs',
  'shot-error': 'finite-shot error of pooled outputs against exact expectations vs shots',
};

/**
 * A figure source for the figure catalogue (same shape as src/figures' FigureSource, without importing
 * it, so that analysis does not depend on figures): the entanglement figures from
 * `<resultsDir>/entanglement-analysis.json`, or a "missing" entry naming the command that writes it.
 */
export const ENTANGLEMENT_FIGURE_SOURCE = {
  what: 'entanglement analysis of pooled states',
  async collect(resultsDir: string) {
    const file = path.join(resultsDir, path.basename(ENTANGLEMENT_RESULTS_FILE));
    let results: EntanglementAnalysisResults;
    try {
      results = await readEntanglementAnalysis(file);
    } catch (e) {
      return { figures: [], missing: [{ what: 'entanglement-analysis figures', reason: (e as Error).message, command: ENTANGLEMENT_ANALYSIS_COMMAND }] };
    }
    const figures = Object.entries(entanglementAnalysisFigures(results)).map(([name, figure]) => ({ name, description: FIGURE_DESCRIPTIONS[name] ?? name, figure }));
    return { figures, missing: [] as Array<{ what: string; reason: string; command: string }> };
  },
};
