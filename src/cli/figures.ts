/** `qkc figures`: regenerate every figure under figures/ from the saved results (never retraining). */
import * as path from 'path';
import { FIGURES_DIR, RESULTS_DIR, regenerateFigures } from '../figures';
import type { FigureFormat } from '../viz';
import { UsageError } from './args';
import { checkPositionals, listOption } from './cli-util';
import { Command } from './command';

const FORMATS: FigureFormat[] = ['svg', 'png', 'html'];

/** Rebuilds the figures and lists what was written and what is missing; see `qkc figures --help`. */
export const figuresCommand: Command = {
  name: 'figures',
  summary: 'regenerate every figure (SVG, PNG, standalone HTML) under figures/ from the saved results in figures/results',
  options: {
    results: { type: 'string', help: 'folder with the saved results', default: RESULTS_DIR },
    out: { type: 'string', help: 'folder for the figure files', default: FIGURES_DIR },
    formats: { type: 'string', help: 'files per figure (comma-separated: svg, png, html)', default: FORMATS.join(',') },
    only: { type: 'string', help: 'only figures whose name contains one of these (comma-separated)' },
    scale: { type: 'number', help: 'PNG pixel ratio', default: 2 },
  },
  async run(args) {
    checkPositionals(args, 'figures');
    const o = args.options;
    const formats = listOption(args, 'formats') as FigureFormat[];
    for (const f of formats) if (!FORMATS.includes(f)) throw new UsageError(`--formats: expected svg, png and/or html, got '${f}'`);
    const scale = o.scale as number;
    if (!(scale > 0 && scale <= 10)) throw new UsageError(`--scale: expected a number in (0, 10], got ${scale}`);
    const t0 = performance.now();
    const report = await regenerateFigures({
      resultsDir: String(o.results), outDir: String(o.out), formats, only: listOption(args, 'only'), scale,
      log: (line) => console.log(line),
    });
    for (const m of report.missing) console.log(`missing: ${m.what}: ${m.reason}; produce it with: ${m.command}`);
    if (report.written.length === 0) {
      throw new Error(`no figures written: no saved results in '${o.results}' to build them from (see the 'missing' lines above)`);
    }
    console.log(`${report.written.length} figure(s) in ${path.resolve(String(o.out))} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  },
};
