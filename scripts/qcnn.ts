/**
 * The fully quantum QCNN study from the command line (`npm run qcnn -- …`):
 *
 *   node -r ts-node/register/transpile-only scripts/qcnn.ts [--study main|qubits-16] [--out DIR] [--runs-dir DIR] [--tasks 0-vs-1,3-vs-6,10-class]
 *        [--models qcnn-8,qcnn-8-mlp,linear-4x4] [--seeds 0,1,2] [--epochs N] [--train-size N] [--report]
 *
 * Runs what is not done yet, run by run (progress lines with ETA; an interrupted run resumes from its
 * epoch checkpoint), writing figures/results/qcnn/runs/<task>-<model>-s<seed>.json and summary.json
 * atomically (one summary for the runs of every study). --study picks the settings (src/experiments/qcnn-study.ts:
 * QCNN_STUDIES; default main). --report prints the README tables from the files without running anything.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { ready } from '../src/backend';
import { QCNN_STUDIES, qcnnReadmeTables, runQcnnStudy, writeQcnnSummary, type QcnnStudySettings } from '../src/experiments/qcnn-study';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      study: { type: 'string', default: 'main' }, out: { type: 'string', default: 'figures/results/qcnn' }, 'runs-dir': { type: 'string', default: 'runs/qcnn' },
      tasks: { type: 'string' }, models: { type: 'string' }, seeds: { type: 'string' }, epochs: { type: 'string' },
      'train-size': { type: 'string' }, report: { type: 'boolean', default: false },
    },
  });
  const list = (v: string | undefined) => (v == null ? undefined : v.split(',').map((x) => x.trim()).filter(Boolean));
  const int = (v: string | undefined, name: string): number | undefined => {
    if (v == null) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: expected a positive integer, got '${v}'`);
    return n;
  };
  const study = QCNN_STUDIES[values.study as string];
  if (!study) throw new Error(`--study: expected one of ${Object.keys(QCNN_STUDIES).join(', ')}, got '${values.study}'`);
  const tasks = list(values.tasks);
  for (const t of tasks ?? []) if (!study.tasks.some((x) => x.name === t)) throw new Error(`--tasks: expected names from ${study.tasks.map((x) => x.name).join(', ')}, got '${t}'`);
  const trainSize = int(values['train-size'], 'train-size');
  const s: QcnnStudySettings = {
    ...study,
    tasks: study.tasks.filter((t) => !tasks || tasks.includes(t.name)).map((t) => ({ ...t, ...(trainSize ? { trainSize } : {}) })),
    models: list(values.models) ?? [...study.models],
    seeds: (list(values.seeds) ?? study.seeds.map(String)).map((x) => {
      const n = Number(x);
      if (!Number.isInteger(n) || n < 0) throw new Error(`--seeds: expected non-negative integers, got '${x}'`);
      return n;
    }),
    epochs: int(values.epochs, 'epochs') ?? study.epochs,
  };
  const paths = { outDir: path.resolve(values.out as string), runsDir: path.resolve(values['runs-dir'] as string) };
  await ready();
  if (values.report) {
    if (!fs.existsSync(path.join(paths.outDir, 'runs'))) throw new Error(`--report: no runs in ${paths.outDir}; run 'npm run qcnn' first`);
    for (const block of qcnnReadmeTables(await writeQcnnSummary(s, paths))) console.log(block);
    return;
  }
  await runQcnnStudy(s, paths);
  for (const block of qcnnReadmeTables(await writeQcnnSummary(s, paths))) console.log(block);
}

main().catch((e: Error) => {
  console.error(`qcnn: error: ${e.message}`);
  process.exit(1);
});
