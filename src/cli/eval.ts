/** `qkc eval`: test accuracy of a trained run (its directory or a checkpoint file). */
import { smallTestSetNote } from '../data';
import { ready } from '../backend';
import { loadRun, type DatasetRef } from '../experiments';
import { evaluateModel } from '../train';
import { UsageError } from './args';
import { SUBSET_OPTIONS, checkPositionals, openDatasetArg, subsetFromArgs } from './cli-util';
import { Command } from './command';

/** Evaluates a run's model on its test split (or another dataset); see `qkc eval --help`. */
export const evalCommand: Command = {
  name: 'eval',
  summary: 'evaluate a trained run (--model-dir DIR or --checkpoint FILE) on its test split',
  options: {
    'model-dir': { type: 'string', help: 'run directory written by qkc train (run.json + checkpoint)' },
    checkpoint: { type: 'string', help: 'a checkpoint file (checkpoint.qkcckpt); its folder\'s run.json names the model' },
    model: { type: 'string', help: 'model name, when the folder has no run.json' },
    dataset: { type: 'string', help: "evaluate on this dataset instead of the run's ('mnist', 'mnist-embedded', 'fashion-mnist' or a directory)" },
    'data-dir': { type: 'string', help: 'data directory holding mnist/ or fashion-mnist/ folders (the only place searched when given)' },
    ...SUBSET_OPTIONS,
    'batch-size': { type: 'integer', help: 'evaluation batch size', default: 256 },
    json: { type: 'boolean', help: 'print the evaluation as JSON' },
  },
  async run(args) {
    checkPositionals(args, 'eval');
    const o = args.options;
    const target = (o['model-dir'] ?? o.checkpoint) as string | undefined;
    if (o['model-dir'] && o.checkpoint) throw new UsageError('give --model-dir or --checkpoint, not both');
    if (!target) throw new UsageError("'qkc eval' needs --model-dir DIR or --checkpoint FILE");
    if ((o['batch-size'] as number) < 1) throw new UsageError(`--batch-size: expected a positive integer, got ${o['batch-size']}`);
    await ready();
    const subset = subsetFromArgs(args);
    const loaded = await loadRun(target, { model: o.model as string | undefined });
    try {
      const stored = loaded.info?.dataset.ref ?? null;
      let ref: DatasetRef;
      if (o.dataset) ref = { dataset: String(o.dataset), subset, ...(o['data-dir'] ? { dataDir: String(o['data-dir']) } : {}) };
      else if (stored) ref = { ...stored, subset: Object.keys(subset).length ? subset : stored.subset, ...(o['data-dir'] ? { dataDir: String(o['data-dir']) } : {}) };
      else throw new UsageError(`the run in '${target}' does not record its dataset; pass --dataset`);
      const data = openDatasetArg(ref);
      const e = evaluateModel(loaded.model, data.test, { batchSize: o['batch-size'] as number });
      const name = loaded.info?.model ?? o.model;
      if (o.json) {
        console.log(JSON.stringify({ model: name, epoch: loaded.epoch, checkpoint: loaded.checkpoint, dataset: data.source, ...e }, null, 2));
        return;
      }
      console.log(`model ${name} after epoch ${loaded.epoch} (${loaded.checkpoint})`);
      console.log(`data ${data.source}: ${e.samples} test images`);
      console.log(`test accuracy ${e.accuracy.toFixed(4)}  loss ${e.loss.toFixed(4)}  (${e.seconds.toFixed(1)} s${smallTestSetNote(data.test)})`);
      console.log(`per class: ${e.perClassAccuracy.map((a, c) => `${data.test.classNames[c]} ${Number.isNaN(a) ? '-' : a.toFixed(3)}`).join('  ')}`);
    } finally {
      loaded.model.dispose();
    }
  },
};
