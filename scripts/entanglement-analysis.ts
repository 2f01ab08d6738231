/**
 * The entanglement analysis of pooled states, from the command line (`npm run analysis:entanglement -- …`):
 *
 *   node -r ts-node/register/transpile-only scripts/entanglement-analysis.ts [--full] [--model-dir DIR]
 *        [--out FILE] [--epochs N] [--seed N] [--block NAME] [--figures] [--figures-dir DIR] [--figures-only]
 *
 * Writes figures/results/entanglement-analysis.json (atomically). Without --model-dir it trains the
 * registry's hybrid-kpool (in-kernel Hur pooling 4 → 2 qubits) here (quick: 3 epochs on 2,000 images; --full: 10 epochs on 8,000) and says so
 * in the file. --figures also renders the figures (SVG, PNG, HTML) to --figures-dir (default figures/) through
 * headless chromium; --figures-only renders them from an existing result file without running anything.
 */
import * as path from 'path';
import { parseArgs } from 'util';
import { ready } from '../src/backend';
import type { PoolBlockName } from '../src/pooling';
import { FigureExporter } from '../src/viz';
import { ENTANGLEMENT_RESULTS_FILE, EntanglementAnalysisResults, readEntanglementAnalysis, runEntanglementAnalysis } from '../src/studies';
import { entanglementAnalysisFigures } from '../src/figures';

async function exportAll(results: EntanglementAnalysisResults, dir: string): Promise<void> {
  const exporter = await FigureExporter.launch();
  try {
    for (const [name, fig] of Object.entries(entanglementAnalysisFigures(results))) {
      const files = await exporter.export(fig, path.join(dir, name));
      console.log(`  ${name}: ${Object.values(files).join(', ')}`);
    }
  } finally {
    await exporter.close();
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      full: { type: 'boolean', default: false },
      'model-dir': { type: 'string' },
      out: { type: 'string', default: ENTANGLEMENT_RESULTS_FILE },
      epochs: { type: 'string' },
      seed: { type: 'string' },
      block: { type: 'string' },
      figures: { type: 'boolean', default: false },
      'figures-dir': { type: 'string', default: 'figures' },
      'figures-only': { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  const int = (v: string | undefined, name: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: expected a non-negative integer, got '${v}'`);
    return n;
  };
  await ready();
  const figuresDir = values.figures || values['figures-only'] ? values['figures-dir'] : null;
  let results: EntanglementAnalysisResults;
  if (values['figures-only']) {
    results = await readEntanglementAnalysis(values.out);
  } else {
    ({ results } = await runEntanglementAnalysis({
      quick: !values.full, modelDir: values['model-dir'], out: values.out, epochs: int(values.epochs, 'epochs'),
      seed: int(values.seed, 'seed'), block: values.block as PoolBlockName | undefined,
    }));
  }
  if (figuresDir) await exportAll(results, figuresDir);
  return 0;
}

main().then((code) => { process.exitCode = code; }, (e: Error) => { console.error(`entanglement-analysis: ${e.message}`); process.exitCode = 1; });
