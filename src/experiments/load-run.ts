/**
 * Rebuilds a trained model from a run directory (run.json + the trainer's checkpoint) or from a checkpoint
 * file: the model comes from the registry by name and the weights from the checkpoint, so an
 * interrupted run can be evaluated from its last completed epoch. A run that selects by validation keeps
 * its best-validation weights in the checkpoint too: those are loaded by default (the run's model), the last
 * epoch's with `weights: 'last'`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../backend';
import { CHECKPOINT_FILE, loadCheckpoint } from '../train';
import { RUN_FILES, type RunInfo } from './experiment';
import { getModelSpec, type ModelOptions } from '../models';
import { readFormattedJson } from '../util';

/** A model with the weights of a checkpoint. */
export interface LoadedRun {
  model: tf.LayersModel;
  /** run.json when present. */
  info: RunInfo | null;
  /** Last completed epoch stored in the checkpoint. */
  epoch: number;
  /** Epoch whose weights the model holds (the best-validation epoch, or the last one). */
  weightsEpoch: number;
  /** The checkpoint file read. */
  checkpoint: string;
}

/** Where the checkpoint and run.json are for a run directory or a checkpoint file path. */
function locate(target: string): { dir: string; checkpoint: string } {
  if (!fs.existsSync(target)) throw new Error(`'${target}' does not exist (expected a run directory or a ${CHECKPOINT_FILE} file)`);
  if (fs.statSync(target).isDirectory()) return { dir: target, checkpoint: path.join(target, CHECKPOINT_FILE) };
  if (path.basename(target) !== CHECKPOINT_FILE) throw new Error(`'${target}': expected a run directory or a file named ${CHECKPOINT_FILE}`);
  return { dir: path.dirname(target), checkpoint: target };
}

/**
 * Loads `target` (run directory or checkpoint file). The model name and options come from run.json;
 * `options.model` names the model when there is no run.json (a mismatch with run.json is an error).
 */
export async function loadRun(target: string, options: { model?: string; modelOptions?: ModelOptions; weights?: 'selected' | 'last' } = {}): Promise<LoadedRun> {
  const { dir, checkpoint } = locate(target);
  const infoFile = path.join(dir, RUN_FILES.info);
  const info = fs.existsSync(infoFile) ? readFormattedJson<RunInfo>(infoFile, 'qkc-run/1') : null;
  if (info && options.model && options.model !== info.model) {
    throw new Error(`model: '${options.model}' given, but ${infoFile} says the run trained '${info.model}'`);
  }
  const name = info?.model ?? options.model;
  if (!name) throw new Error(`model: '${dir}' has no ${RUN_FILES.info}; name the model (--model NAME)`);
  const ckpt = await loadCheckpoint(dir);
  if (!ckpt) throw new Error(`no checkpoint in '${dir}' (expected ${checkpoint}); has the run finished an epoch?`);
  const model = getModelSpec(name).builder(info?.seed ?? 0, info?.modelOptions ?? options.modelOptions);
  const best = ckpt.tensors.filter((t) => t.name.startsWith('best/'));
  const useBest = (options.weights ?? 'selected') === 'selected' && best.length > 0 && ckpt.meta.earlyStopping != null;
  const group = useBest ? 'best' : 'weights';
  try {
    const weights = ckpt.tensors.filter((t) => t.name.startsWith(`${group}/`));
    if (weights.length !== model.weights.length) {
      throw new Error(`${checkpoint}: holds ${weights.length} weights, model '${name}' has ${model.weights.length}; was it written by another model?`);
    }
    weights.forEach((t, i) => {
      const w = model.weights[i];
      if (t.name !== `${group}/${i}` || t.shape.join(',') !== w.shape.join(',')) {
        throw new Error(`${checkpoint}: weight ${i} has shape [${t.shape}], model '${name}' expects [${w.shape}] (${w.name})`);
      }
      tf.tidy(() => (w.read() as tf.Variable).assign(tf.tensor(t.data, t.shape, w.dtype)));
    });
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { model, info, epoch: ckpt.meta.epoch, weightsEpoch: useBest ? ckpt.meta.earlyStopping!.bestEpoch : ckpt.meta.epoch, checkpoint };
}
