/**
 * The pooling study from the command line (`nice -n 10 npm run analysis:pooling -- …`):
 *
 *   node -r ts-node/register/transpile-only scripts/pooling-study.ts [--models a,b] [--seeds 0,1,2]
 *        [--train-size N] [--validation-size N] [--test-size N] [--epochs N] [--probe-steps N] [--out FILE]
 *
 * Trains each model × seed on official MNIST subsets and compares poolings of its pre-pool maps (see
 * src/studies/pooling-study.ts); each run's file is written as it finishes and a finished run is never
 * run again with the same settings, so an interrupted study resumes run by run. Writes the summary to
 * figures/results/pooling-study.json; `npm run figures -- --only pooling-study` draws the figure.
 */
import { parseArgs } from 'util';
import { ready } from '../src/backend';
import { POOLING_STUDY_FILE, runPoolingStudy, type PoolingStudySettings } from '../src/studies';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      models: { type: 'string' }, seeds: { type: 'string' },
      'train-size': { type: 'string' }, 'validation-size': { type: 'string' }, 'test-size': { type: 'string' },
      epochs: { type: 'string' }, 'probe-steps': { type: 'string' }, out: { type: 'string', default: POOLING_STUDY_FILE },
    },
    allowPositionals: false,
  });
  const int = (v: string, name: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: expected a non-negative integer, got '${v}'`);
    return n;
  };
  const settings: Partial<PoolingStudySettings> = {};
  if (values.models) settings.models = values.models.split(',');
  if (values.seeds) settings.seeds = values.seeds.split(',').map((s) => int(s, 'seeds'));
  if (values['train-size']) settings.trainSize = int(values['train-size'], 'train-size');
  if (values['validation-size']) settings.validationSize = int(values['validation-size'], 'validation-size');
  if (values['test-size']) settings.testSize = int(values['test-size'], 'test-size');
  if (values.epochs) settings.epochs = int(values.epochs, 'epochs');
  if (values['probe-steps']) settings.probeSteps = int(values['probe-steps'], 'probe-steps');
  await ready();
  const summary = await runPoolingStudy({ settings, out: values.out });
  for (const d of summary.differences) {
    const ci = d.ci95 ? `[${(100 * d.ci95[0]).toFixed(2)}, ${(100 * d.ci95[1]).toFixed(2)}]` : '(one seed)';
    console.log(`${d.model.padEnd(22)} ${d.variant.padEnd(16)} − quantum: ${(100 * d.meanDifference).toFixed(2)} points, 95 % CI ${ci}`);
  }
  return summary.missing.length ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => { console.error(`pooling study: ${(e as Error).message}`); process.exit(1); });
