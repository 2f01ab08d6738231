/** `qkc train`: one model, one seed, one dataset; writes a run directory (checkpoints, metrics, result.json). */
import * as fs from 'fs';
import * as path from 'path';
import { ready } from '../backend';
import { DIFF_METHODS, type DiffMethod } from '../qkc';
import { CHECKPOINT_FILE } from '../train';
import { smallTestSetNote } from '../data';
import { MODELS, getModelSpec } from '../models';
import { EXPERIMENT_DEFAULTS, runExperiment, type DatasetRef } from '../experiments';
import { UsageError } from './args';
import { SUBSET_OPTIONS, checkPositionals, openDatasetArg, requireOption, subsetFromArgs } from './cli-util';
import { Command } from './command';

/** The model spec, with an unknown name reported as a usage error (exit 2). */
function modelOrUsage(name: string): ReturnType<typeof getModelSpec> {
  try {
    return getModelSpec(name);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Trains a named model and prints its test accuracy; see `qkc train --help`. */
export const trainCommand: Command = {
  name: 'train',
  summary: 'train one model (qkc models lists them) on mnist, fashion-mnist or an IDX directory',
  options: {
    model: { type: 'string', help: `model name: ${MODELS.map((m) => m.name).join(', ')}` },
    dataset: { type: 'string', help: "'mnist' (the embedded 8,000/2,000 split), 'mnist-official' (60,000/10,000, 5,000 held out to validate), 'fashion-mnist' or a directory of IDX files", default: 'mnist' },
    'data-dir': { type: 'string', help: 'data directory holding mnist/ or fashion-mnist/ folders of IDX files (the only place searched when given)' },
    epochs: { type: 'integer', help: 'training epochs', default: 5 },
    diff: { type: 'string', help: 'gradient method of the quantum layers', choices: DIFF_METHODS, default: EXPERIMENT_DEFAULTS.diffMethod },
    seed: { type: 'integer', help: 'seed of the initial weights, shuffling and dropout', default: 0 },
    'batch-size': { type: 'integer', help: 'training batch size', default: EXPERIMENT_DEFAULTS.batchSize },
    lr: { type: 'number', help: 'Adam learning rate of classical weights', default: EXPERIMENT_DEFAULTS.learningRate },
    'quantum-lr': { type: 'number', help: 'Adam learning rate of quantum weights', default: EXPERIMENT_DEFAULTS.quantumLearningRate },
    ...SUBSET_OPTIONS,
    out: { type: 'string', help: 'run directory (default runs/<dataset>-<model>-s<seed>)' },
    resume: { type: 'boolean', help: 'continue the run in --out from its last checkpoint' },
    overwrite: { type: 'boolean', help: 'start afresh even if --out holds a checkpoint' },
    progress: { type: 'string', help: 'progress display', choices: ['auto', 'bar', 'lines', 'none'], default: 'auto' },
  },
  async run(args) {
    checkPositionals(args, 'train');
    const o = args.options;
    const spec = modelOrUsage(requireOption(args, 'model', 'train'));
    if (o.resume && o.overwrite) throw new UsageError('--resume and --overwrite contradict each other; give one');
    for (const k of ['epochs', 'batch-size'] as const) {
      if ((o[k] as number) < 1) throw new UsageError(`--${k}: expected a positive integer, got ${o[k]}`);
    }
    for (const k of ['lr', 'quantum-lr'] as const) {
      if (!((o[k] as number) > 0)) throw new UsageError(`--${k}: expected a number > 0, got ${o[k]}`);
    }
    const ref: DatasetRef = { dataset: String(o.dataset), subset: subsetFromArgs(args), ...(o['data-dir'] ? { dataDir: String(o['data-dir']) } : {}) };
    const seed = o.seed as number;
    const dataLabel = path.basename(ref.dataset);
    const out = o.out ? String(o.out) : path.join('runs', `${dataLabel}-${spec.name}-s${seed}`);
    if (!o.resume && !o.overwrite && fs.existsSync(path.join(out, CHECKPOINT_FILE))) {
      throw new UsageError(`'${out}' already holds a run; pass --resume to continue it, --overwrite to start afresh, or another --out`);
    }
    const info = await ready();
    const data = openDatasetArg(ref);
    console.log(`model ${spec.name}: ${spec.describe({ imageSize: [data.train.height, data.train.width], channels: data.train.channels, numClasses: data.train.numClasses })}`);
    const validation = data.validation ? ` / ${data.validation.size} validation` : '';
    console.log(`data ${data.source}: ${data.train.size} train${validation} / ${data.test.size} test images; backend ${info.tfBackend}; run dir ${out}`);
    const { result, resumedFrom } = await runExperiment({
      model: spec.name, seed, data, dataRef: ref, epochs: o.epochs as number, batchSize: o['batch-size'] as number,
      learningRate: o.lr as number, quantumLearningRate: o['quantum-lr'] as number, diffMethod: o.diff as DiffMethod,
      runDir: out, resume: o.resume ? true : false, progress: o.progress as 'auto',
    });
    if (!result) {
      console.log(`stopped before the last epoch; continue with: qkc train ... --out ${out} --resume`);
      return;
    }
    const p = result.parameters;
    console.log(`${resumedFrom > 0 ? `(resumed from epoch ${resumedFrom}) ` : ''}test accuracy ${result.final.testAccuracy.toFixed(4)} ` +
      `(loss ${result.final.testLoss.toFixed(4)}, ${result.dataset.testSize} images${smallTestSetNote(data.test)}); parameters ${p.quantum} quantum + ${p.classical} classical; ` +
      `${result.timing.meanEpochTimeS.toFixed(1)} s/epoch; circuit executions ${result.circuitExecutions.train.toExponential(3)}`);
    console.log(`results: ${path.join(out, 'result.json')}`);
  },
};
