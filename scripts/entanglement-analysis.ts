/**
 * The entanglement analysis of pooled states, from the command line (`npm run analysis:entanglement -- …`):
 *
 *   node -r ts-node/register/transpile-only scripts/entanglement-analysis.ts [--full] [--model-dir DIR]
 *        [--out FILE] [--epochs N] [--seed N] [--block NAME] [--figures] [--figures-dir DIR] [--figures-only]
 *        [--saved-model DIR]
 *
 * Writes figures/results/entanglement-analysis.json (atomically). Without --model-dir it trains the
 * registry's hybrid-kpool (in-kernel Hur pooling 4 → 2 qubits) here (quick: 3 epochs on 2,000 images; --full: 10 epochs on 8,000) and says so
 * in the file. --saved-model DIR analyses a model the official suite saved (model.json + weights.bin, e.g.
 * figures/results/full-official-models/full-official-mnist-official-hybrid-kpool-s0; "before" is rebuilt from the
 * registry with the seed in the folder name) on stratified official-MNIST images: the probes' training images from
 * the 55,000 training images, the rest from the official test split. --figures also renders the figures (SVG, PNG, HTML) to --figures-dir (default figures/) through
 * headless chromium; --figures-only renders them from an existing result file without running anything.
 */
import * as path from 'path';
import { parseArgs } from 'util';
import { ready, tf } from '../src/backend';
import { loadMnist } from '../src/data';
import { getModelSpec } from '../src/models';
import { fileSystemIO } from '../src/qkc';
import { writeFileAtomic } from '../src/util/atomic';
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

/** The analysis of a saved official-suite model on official MNIST, written to `out` with the model's provenance. */
async function analyseSavedModel(dir: string, out: string, quick: boolean, block: PoolBlockName | undefined): Promise<EntanglementAnalysisResults> {
  const seedMatch = /-s(\d+)\/?$/.exec(dir);
  if (!seedMatch) throw new Error(`--saved-model: expected a folder named <run id>-s<seed> (as the official suite writes), got '${dir}'`);
  const seed = Number(seedMatch[1]);
  const trained = await tf.loadLayersModel(fileSystemIO(dir));
  const initial = getModelSpec(trained.name).builder(seed);
  const sizes = quick ? { trainSize: 2000, testSize: 500 } : { trainSize: 8000, testSize: 2000 };
  const data = loadMnist({ split: 'official', ...sizes });
  try {
    const { results } = await runEntanglementAnalysis({ model: trained, initialModel: initial, trainImages: data.train, images: data.test, out: null, quick, seed, block });
    results.source = {
      ...results.source, kind: 'model', dir,
      note: `the official suite's trained ${trained.name} (seed ${seed}, best-validation weights from ${dir}); "before" rebuilt from the registry with seed ${seed}; ` +
        `images: ${data.train.size} official-MNIST training images for the probes, ${data.test.size} official test images`,
    };
    await writeFileAtomic(out, JSON.stringify(results));
    console.log(`wrote ${out}`);
    return results;
  } finally {
    trained.dispose();
    initial.dispose();
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
      'saved-model': { type: 'string' },
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
  } else if (values['saved-model'] !== undefined) {
    results = await analyseSavedModel(values['saved-model'], values.out, !values.full, values.block as PoolBlockName | undefined);
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
