/**
 * `regenerateFigures`: rebuild every catalogue figure from the saved results and write it as SVG, PNG
 * and standalone HTML under figures/ (each file atomically, one headless Chromium for all). Nothing is
 * retrained; figures whose results are missing are reported with the command that produces them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FigureExporter, type ExportedFiles, type ExporterOptions, type FigureFormat } from '../viz';
import { buildFigureCatalogue, FIGURE_SOURCES, type FigureSource, type MissingFigures } from './catalogue';
import { FIGURES_DIR, RESULTS_DIR } from './results-files';

/** Options of {@link regenerateFigures}. */
export interface RegenerateOptions {
  /** Saved results (default figures/results). */
  resultsDir?: string;
  /** Where the figure files go (default figures). */
  outDir?: string;
  /** Which files per figure (default svg, png, html). */
  formats?: FigureFormat[];
  /** Only figures whose name contains one of these strings. */
  only?: string[];
  /** Only figures whose name passes this test (after `only`). */
  filter?: (name: string) => boolean;
  /** PNG pixel ratio (default 2). */
  scale?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Chromium options (executable, timeout). */
  exporter?: ExporterOptions;
  /** Figure sources (default FIGURE_SOURCES). */
  sources?: readonly FigureSource[];
}

/** What was written and what could not be built. */
export interface RegenerateReport {
  written: Array<{ name: string; description: string; files: ExportedFiles }>;
  missing: MissingFigures[];
}

/** See the file comment. Throws only for real failures (no Chromium, a figure that fails to render). */
export async function regenerateFigures(opts: RegenerateOptions = {}): Promise<RegenerateReport> {
  const resultsDir = opts.resultsDir ?? RESULTS_DIR;
  const outDir = opts.outDir ?? FIGURES_DIR;
  const log = opts.log ?? (() => undefined);
  const catalogue = await buildFigureCatalogue(resultsDir, opts.sources ?? FIGURE_SOURCES);
  const only = opts.only;
  const figures = (only ? catalogue.figures.filter((f) => only.some((o) => f.name.includes(o))) : catalogue.figures)
    .filter((f) => opts.filter?.(f.name) ?? true);
  if (only && figures.length === 0 && catalogue.figures.length > 0) {
    throw new Error(`only: no figure name contains ${only.map((o) => `'${o}'`).join(' or ')} (figures: ${catalogue.figures.map((f) => f.name).join(', ')})`);
  }
  const report: RegenerateReport = { written: [], missing: catalogue.missing };
  if (figures.length === 0) return report;
  fs.mkdirSync(outDir, { recursive: true });
  const exporter = await FigureExporter.launch(opts.exporter);
  try {
    for (const f of figures) {
      const t0 = performance.now();
      const files = await exporter.export(f.figure, path.join(outDir, f.name), { formats: opts.formats, scale: opts.scale ?? 2 });
      report.written.push({ name: f.name, description: f.description, files });
      log(`${f.name}: ${Object.values(files).map((p) => path.basename(p)).join(', ')} (${((performance.now() - t0) / 1000).toFixed(1)} s) — ${f.description}`);
    }
  } finally {
    await exporter.close();
  }
  return report;
}
