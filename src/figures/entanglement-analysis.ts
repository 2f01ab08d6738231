/** The figures of the entanglement analysis, built from its result file's contents (see src/studies' runEntanglementAnalysis). */
import type { EntanglementAnalysisResults } from '../studies';
import type { Figure } from '../viz';
import { entanglementByClassFigure, entanglementHeatmapFigure, purityEntropyFigure, purityTrajectoryFigure } from './entanglement';
import { poolingInformationFigure, shotErrorFigure } from './information';

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

/** One line per figure of entanglementAnalysisFigures, for the catalogue. */
export const ENTANGLEMENT_FIGURE_DESCRIPTIONS: Readonly<Record<string, string>> = {
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
