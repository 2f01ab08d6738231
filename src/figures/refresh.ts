/**
 * Refreshing a suite's derived outputs after new run files land (`qkc results --suite NAME --refresh`): the
 * summary rebuilt from the run files, the suite's figures redrawn (skipped, with the command that draws them
 * later, when Chromium is missing), and README.md's generated blocks rewritten. Every file is written
 * atomically; nothing is retrained. `qkc reproduce` draws its figures through the same `drawSuiteFigures`.
 */
import * as path from 'path';
import { checkSuiteName, isSuiteFileName, rewriteSuiteSummary, type ResultsSummary, type SuiteName } from '../experiments';
import { findChromium } from '../viz';
import { buildFigureCatalogue } from './catalogue';
import { refreshReadmeBlocks, type ReadmeRefresh } from './readme-results';
import { regenerateFigures } from './regenerate';
import { FIGURES_DIR, RESULTS_DIR } from './results-files';

/** The command that draws a suite's figures from `results` into `figures` later. */
export function drawFiguresLater(suite: SuiteName, results: string, figures: string): string {
  return `npx qkc figures --results ${results} --out ${figures} --only ${suite}- --formats svg,png`;
}

/** The suite's figures drawn (names), or, without Chromium, skipped (names) with the line that said so. */
export interface SuiteFiguresReport {
  written: string[];
  skipped: string[] | null;
}

/**
 * Redraws `suite`'s figures (SVG + PNG; only the suite's own, not those of a suite whose name extends it) from
 * the results in `results` into `figures`. Without Chromium (an optional part) nothing is drawn and one line
 * names the figures skipped and the command that draws them later.
 */
export async function drawSuiteFigures(suite: SuiteName, results: string, figures: string, log: (line: string) => void): Promise<SuiteFiguresReport> {
  const later = drawFiguresLater(suite, results, figures);
  const ours = (name: string): boolean => isSuiteFileName(name, suite);
  if (!findChromium()) {
    const names = (await buildFigureCatalogue(results)).figures.map((f) => f.name).filter(ours);
    log(`figures skipped (no Chromium at ${process.env.QKC_CHROMIUM || '/usr/bin/chromium'}; apt-get install chromium or set QKC_CHROMIUM): ` +
      `${names.join(', ') || 'none'}; the results are saved — draw them later with: ${later}`);
    return { written: [], skipped: names };
  }
  const report = await regenerateFigures({ resultsDir: results, outDir: figures, formats: ['svg', 'png'], filter: ours, log: (line) => log(`figure ${line}`) });
  log(`${report.written.length} figure(s) redrawn in ${figures} (standalone HTML too: ${later.replace(' --formats svg,png', '')})`);
  return { written: report.written.map((w) => w.name), skipped: null };
}

/** Rewrites `suite`'s summary (.json, .csv) from its run files in `resultsDir` and logs one line saying so. */
export async function rewriteSummaryFromRuns(suite: SuiteName, resultsDir: string, log: (line: string) => void): Promise<{ summary: ResultsSummary; runFiles: number }> {
  const summary = await rewriteSuiteSummary(resultsDir, suite);
  const runFiles = summary.rows.reduce((n, r) => n + r.seeds.length + (r.failed?.length ?? 0), 0);
  log(`wrote ${path.join(resultsDir, `${suite}-summary`)}.json and .csv: ${summary.rows.length} rows from ${runFiles} run files`);
  return { summary, runFiles };
}

/** Options of {@link refreshSuiteOutputs}. */
export interface RefreshOptions {
  /** The suite (checked: a SuiteNameError names `suite` otherwise). */
  suite: string;
  /** Folder with the run files (default figures/results). */
  resultsDir?: string;
  /** Folder for the figures (default figures). */
  figuresDir?: string;
  /** The README whose generated blocks are rewritten (default README.md); null leaves every README alone. */
  readme?: string | null;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** What {@link refreshSuiteOutputs} wrote. */
export interface RefreshReport {
  summary: ResultsSummary;
  /** Run files the summary was built from (good and failed). */
  runFiles: number;
  figures: SuiteFiguresReport;
  readme: ReadmeRefresh | null;
}

/** See the file comment: summary, then figures (the README block links the figures that exist), then README blocks. */
export async function refreshSuiteOutputs(opts: RefreshOptions): Promise<RefreshReport> {
  const suite = checkSuiteName(opts.suite, 'suite');
  const resultsDir = opts.resultsDir ?? RESULTS_DIR;
  const figuresDir = opts.figuresDir ?? FIGURES_DIR;
  const log = opts.log ?? (() => undefined);
  const { summary, runFiles } = await rewriteSummaryFromRuns(suite, resultsDir, log);
  const figures = await drawSuiteFigures(suite, resultsDir, figuresDir, log);
  const readmeFile = opts.readme === undefined ? 'README.md' : opts.readme;
  let readme: ReadmeRefresh | null = null;
  if (readmeFile !== null) {
    readme = await refreshReadmeBlocks(readmeFile, suite, { resultsDir, figuresDir });
    const parts = [
      readme.changed.length ? `rewrote the ${readme.changed.join(', ')} block(s)` : '',
      readme.current.length ? `${readme.current.join(', ')} up to date` : '',
      readme.absent.length ? `no ${readme.absent.join(', ')} block (left out)` : '',
    ].filter(Boolean);
    log(`${readmeFile}: ${parts.join('; ')} (from ${readme.runs} run file(s), ${readme.rows} model row(s))`);
  }
  return { summary, runFiles, figures, readme };
}
