/**
 * The catalogue of the project's figures: every figure that can be built from the saved results in a
 * results folder, by file name, plus what is missing and the command that would produce it. Both
 * `npm run figures` / `qkc figures` and the notebooks go through here, so a figure looks the same
 * wherever it is shown.
 */
import * as path from 'path';
import { DIFF_METHODS } from '../qkc';
import {
  ENTANGLEMENT_ANALYSIS_COMMAND, ENTANGLEMENT_RESULTS_FILE, POOLING_STUDY_COMMAND, POOLING_STUDY_FILE, readEntanglementAnalysis, readPoolingStudy,
  type EntanglementAnalysisResults,
} from '../studies';
import type { Figure } from '../viz';
import type { SuiteName } from '../experiments';
import { pairRunsByGradientMethod } from './comparison';
import { readNoiseEvalRecords } from '../device';
import { DEVICE_NOISE_DIR, NOISE_EVAL_COMMAND, deviceNoiseFigure } from './device-noise';
import { ENTANGLEMENT_FIGURE_DESCRIPTIONS, entanglementAnalysisFigures } from './entanglement-analysis';
import { gradientMethodsFigure } from './gradient-methods';
import { poolingStudyFigure } from './pooling-study';
import { RESULTS_DIR, readAllSuiteResults, readSuiteResults, reproduceCommand, type SuiteResults } from './results-files';
import { accuracyPerModelFigure } from './accuracy-per-model';
import { accuracyVsParametersFigure, confusionMatrixFigure, learningCurvesFigure, resultsTableFigure } from './results-figures';

/** One figure of the catalogue. */
export interface CatalogueFigure {
  /** File base name under figures/ (e.g. 'quick-mnist-learning-curves'). */
  name: string;
  /** One line saying what it shows. */
  description: string;
  figure: Figure;
}

/** Figures that could not be built, with the reason and the command that produces their results. */
export interface MissingFigures {
  what: string;
  reason: string;
  command: string;
}

/** Everything the catalogue found. */
export interface FigureCatalogue {
  resultsDir: string;
  figures: CatalogueFigure[];
  missing: MissingFigures[];
}

/** A source of figures: reads what it needs from the results folder. */
export interface FigureSource {
  /** What the figures are about (for messages). */
  what: string;
  /** Figures from the saved results, or why they cannot be built. */
  collect(resultsDir: string): Promise<{ figures: CatalogueFigure[]; missing: MissingFigures[] }>;
}

/** The four results figures of one suite on one dataset. */
export function suiteFigures(results: SuiteResults, dataset: string): CatalogueFigure[] {
  const rows = results.summary.rows.filter((r) => r.dataset === dataset);
  const runs = results.runs.filter((r) => r.dataset.name === dataset);
  const base = `${results.suite}-${dataset}`;
  const out: CatalogueFigure[] = [
    { name: `${base}-results-table`, description: `results table (${results.suite} suite, ${dataset})`, figure: resultsTableFigure(rows) },
    { name: `${base}-accuracy-vs-parameters`, description: `test accuracy against parameter count (${results.suite} suite, ${dataset})`, figure: accuracyVsParametersFigure(rows) },
  ];
  if (rows.some((r) => r.seeds.length > 0)) {
    out.push({ name: `${base}-accuracy-per-model`, description: `test accuracy per model, each seed and mean ± std (${results.suite} suite, ${dataset})`, figure: accuracyPerModelFigure(rows) });
  }
  if (runs.some((r) => r.model.family === 'hybrid')) {
    out.push({ name: `${base}-learning-curves`, description: `learning curves, hybrids vs controls (${results.suite} suite, ${dataset})`, figure: learningCurvesFigure(runs) });
  }
  if (runs.length > 0) {
    out.push({ name: `${base}-confusion-matrix`, description: `confusion matrices of the best hybrid and its controls (${results.suite} suite, ${dataset})`, figure: confusionMatrixFigure(runs) });
  }
  return out;
}

/**
 * For each `<suite>-<method>` folder inside `resultsDir` holding the same suite's hybrid runs trained with
 * another quantum gradient method (e.g. figures/results/full-backprop): one figure per dataset overlaying
 * the learning curves of both methods.
 */
export function gradientMethodFigures(results: SuiteResults, resultsDir: string): CatalogueFigure[] {
  const out: CatalogueFigure[] = [];
  for (const method of DIFF_METHODS) {
    const twin = readSuiteResults(results.suite, path.join(resultsDir, `${results.suite}-${method}`));
    if (!twin) continue;
    for (const dataset of [...new Set(results.summary.rows.map((r) => r.dataset))]) {
      const runs = results.runs.filter((r) => r.dataset.name === dataset);
      if (pairRunsByGradientMethod(runs, twin.runs).length === 0) continue;
      out.push({
        name: `${results.suite}-${dataset}-gradient-methods-${method}`,
        description: `learning curves of the hybrids trained with two gradient methods (${results.suite} suite vs ${results.suite}-${method}, ${dataset})`,
        figure: gradientMethodsFigure(runs, twin.runs),
      });
    }
  }
  return out;
}

/** The training-results figures of every saved suite (quick and/or full) and dataset. */
export const SUITE_FIGURES: FigureSource = {
  what: 'training results (qkc reproduce)',
  async collect(resultsDir) {
    const suites = readAllSuiteResults(resultsDir);
    const missing: MissingFigures[] = [];
    if (suites.length === 0) {
      missing.push({
        what: 'training-results figures (learning curves, results table, accuracy vs parameters, confusion matrix)',
        reason: `no quick-summary.json or full-summary.json in '${resultsDir}'`,
        command: `${reproduceCommand('quick')} (a few minutes; or '${reproduceCommand('full')}' for the full suite)`,
      });
    }
    const figures: CatalogueFigure[] = [];
    for (const s of suites) {
      for (const m of s.missingRuns) {
        missing.push({ what: `a run of the ${s.suite} suite`, reason: m, command: reproduceCommand(s.suite as SuiteName) });
      }
      const datasets = [...new Set(s.summary.rows.map((r) => r.dataset))];
      if (datasets.length === 0) {
        missing.push({ what: `${s.suite} suite figures`, reason: `${s.suite}-summary.json has no rows yet`, command: reproduceCommand(s.suite) });
      }
      for (const d of datasets) figures.push(...suiteFigures(s, d));
      figures.push(...gradientMethodFigures(s, resultsDir));
      for (const sk of s.summary.skipped) {
        missing.push({ what: `${s.suite} suite on ${sk.dataset}`, reason: sk.reason, command: reproduceCommand(s.suite) });
      }
    }
    return { figures, missing };
  },
};

/**
 * The entanglement figures from one analysis file in the results folder (written by src/studies'
 * runEntanglementAnalysis), named `<prefix><figure>`, or a "missing" entry naming the command that writes it.
 */
export function entanglementFigureSource(fileName: string, prefix: string, command: string): FigureSource {
  return {
    what: `entanglement analysis of pooled states (${fileName})`,
    async collect(resultsDir) {
      let results: EntanglementAnalysisResults;
      try {
        results = await readEntanglementAnalysis(path.join(resultsDir, fileName));
      } catch (e) {
        return { figures: [], missing: [{ what: `${prefix}entanglement-analysis figures`, reason: (e as Error).message, command }] };
      }
      const figures = Object.entries(entanglementAnalysisFigures(results))
        .map(([name, figure]) => ({ name: `${prefix}${name}`, description: `${ENTANGLEMENT_FIGURE_DESCRIPTIONS[name] ?? name} (${results.source.model}: ${results.source.kind})`, figure }));
      return { figures, missing: [] };
    },
  };
}

/** The entanglement figures of `entanglement-analysis.json` (the hybrid-kpool trained for the analysis on embedded MNIST). */
export const ENTANGLEMENT_FIGURE_SOURCE: FigureSource = entanglementFigureSource(path.basename(ENTANGLEMENT_RESULTS_FILE), '', ENTANGLEMENT_ANALYSIS_COMMAND);

/** Where the analysis of the official suite's saved hybrid-kpool goes, and the command that writes it. */
export const OFFICIAL_ENTANGLEMENT_FILE = 'entanglement-analysis-official.json';
export const OFFICIAL_ENTANGLEMENT_COMMAND = 'npm run analysis:entanglement -- --full --saved-model figures/results/full-official-models/full-official-mnist-official-hybrid-kpool-s0 ' +
  `--out figures/results/${OFFICIAL_ENTANGLEMENT_FILE}`;
/** Where the same analysis of the official suite's saved hybrid-qpool (spatial quantum pooling) goes, and the command that writes it. */
export const OFFICIAL_QPOOL_ENTANGLEMENT_FILE = 'entanglement-analysis-official-qpool.json';
export const OFFICIAL_QPOOL_ENTANGLEMENT_COMMAND = 'nice -n 10 npm run analysis:entanglement -- --full --saved-model figures/results/full-official-models/full-official-mnist-official-hybrid-qpool-s0 ' +
  `--out figures/results/${OFFICIAL_QPOOL_ENTANGLEMENT_FILE}`;
/** The same figures for the official suite's trained hybrid-kpool, named `full-official-mnist-official-entanglement-*` and so on. */
export const OFFICIAL_ENTANGLEMENT_FIGURE_SOURCE: FigureSource = entanglementFigureSource(OFFICIAL_ENTANGLEMENT_FILE, 'full-official-mnist-official-', OFFICIAL_ENTANGLEMENT_COMMAND);

/** The device-noise figure from `<resultsDir>/device-noise/*.json`, or what is missing. */
export const DEVICE_NOISE_FIGURE_SOURCE: FigureSource = {
  what: 'trained hybrids under device noise (qkc noise-eval)',
  async collect(resultsDir) {
    const records = readNoiseEvalRecords(path.join(resultsDir, DEVICE_NOISE_DIR));
    if (records.length === 0) {
      return { figures: [], missing: [{ what: 'device-noise figure', reason: `no noise-eval results in '${path.join(resultsDir, DEVICE_NOISE_DIR)}'`, command: NOISE_EVAL_COMMAND }] };
    }
    const figure: CatalogueFigure = { name: 'device-noise', description: 'test accuracy of trained hybrids noiseless and under fake IBM devices (exact and with shots)', figure: deviceNoiseFigure(records) };
    return { figures: [figure], missing: [] };
  },
};

/** The pooling study's figure from `<resultsDir>/pooling-study.json` (src/studies/pooling-study.ts), or what is missing. */
export const POOLING_STUDY_FIGURE_SOURCE: FigureSource = {
  what: 'the pooling study (quantum vs classical pooling over trained models and seeds)',
  async collect(resultsDir) {
    try {
      const summary = await readPoolingStudy(path.join(resultsDir, path.basename(POOLING_STUDY_FILE)));
      const figure: CatalogueFigure = {
        name: 'pooling-study', figure: poolingStudyFigure(summary),
        description: 'linear-probe accuracy after no / avg / max / learned classical / quantum pooling of trained models\' pre-pool maps, and differences from quantum pooling (seeds, 95 % CI)',
      };
      return { figures: [figure], missing: [] };
    } catch (e) {
      return { figures: [], missing: [{ what: 'pooling-study figure', reason: (e as Error).message, command: POOLING_STUDY_COMMAND }] };
    }
  },
};

/** The sources `npm run figures` collects from, in order: training results, the entanglement analyses (embedded, official), device noise, the pooling study. */
export const FIGURE_SOURCES: FigureSource[] = [SUITE_FIGURES, ENTANGLEMENT_FIGURE_SOURCE, OFFICIAL_ENTANGLEMENT_FIGURE_SOURCE, DEVICE_NOISE_FIGURE_SOURCE, POOLING_STUDY_FIGURE_SOURCE];

/** Every figure that the saved results in `resultsDir` (default figures/results) allow, and what is missing. */
export async function buildFigureCatalogue(resultsDir: string = RESULTS_DIR, sources: readonly FigureSource[] = FIGURE_SOURCES): Promise<FigureCatalogue> {
  const figures: CatalogueFigure[] = [];
  const missing: MissingFigures[] = [];
  for (const source of sources) {
    const got = await source.collect(resultsDir);
    figures.push(...got.figures);
    missing.push(...got.missing);
  }
  const names = new Set<string>();
  for (const f of figures) {
    if (names.has(f.name)) throw new Error(`figure catalogue: two figures are called '${f.name}'`);
    names.add(f.name);
  }
  return { resultsDir, figures, missing };
}
