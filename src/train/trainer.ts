/**
 * The hybrid trainer: a custom loop (not model.fit) so that quantum layers get their own learning rate
 * and diffMethod, every source of randomness is seeded, circuit executions are counted, and the whole
 * run state can be checkpointed and resumed bit for bit.
 *
 * Per epoch: shuffle the sample order with the run's PRNG; per batch draw a step seed from the same PRNG,
 * seed Math.random with it for the synchronous forward/backward/update (tfjs dropout and unseeded random
 * ops take their seeds from Math.random); validate; checkpoint (weights, Adam state, PRNG state, early
 * stopping, history); write metrics; report progress. Loss is sparse categorical cross-entropy (regularizer
 * penalties are added to the minimised loss but not to the reported one).
 */
import { tf } from '../backend';
import type { DataFrame } from 'danfojs-node';
import { Adam, type ParamGroup } from './optimizer';
import { Rng } from '../util/random';
import { nextSeed, shuffledOrder, withSeededMathRandom } from './random';
import { correctCount, crossEntropySum, resolveOutputKind, type OutputKind } from './loss';
import { resolveOptions, type ResolvedOptions, type TrainData, type TrainOptions, type TrainControl } from './options';
import { labelTensor, prepareSplit, type PreparedSplit } from './dataset';
import { configHash, diffConfigs, runConfig, type RunConfig } from './fingerprint';
import { countCircuitExecutions, findQuantumLayers, setDiffMethod, type QuantumLayerLike } from './quantum-layer';
import { EarlyStopping } from './early-stopping';
import { lrFactor } from './lr-schedule';
import { checkpointPath, loadCheckpoint, saveCheckpoint, tensorGroup, type Checkpoint, type CheckpointTensor } from './checkpoint';
import { metricsDataFrame, writeMetrics, METRICS_CSV, METRICS_JSON, type EpochRecord } from './metrics';
import { createProgress, type ProgressReporter } from './progress';
import * as path from 'path';

/** What a run returns. */
export interface TrainResult {
  /** One record per completed epoch, including epochs restored from a checkpoint. */
  history: EpochRecord[];
  /** Last completed epoch (1-based; 0 if none). */
  epoch: number;
  /** Epoch the run continued from (0 for a fresh run). */
  resumedFrom: number;
  /** Early stopping ended the run. */
  stoppedEarly: boolean;
  /** The run was stopped by a callback or signal before finishing; resume it with `resume: true`. */
  interrupted: boolean;
  /** Epoch whose weights the model holds at the end when early stopping restored the best (else null). */
  restoredBestEpoch: number | null;
  /** With `keepLastWeights`: the last epoch's weights (model.weights order) when the best were restored, else null; the caller disposes them. */
  lastWeights: tf.Tensor[] | null;
  /** How the loss read the model's output. */
  outputs: OutputKind;
  /** Run identity (only computed with outDir, since it hashes the data). */
  config: RunConfig | null;
  configHash: string | null;
  /** Files written into outDir (null without outDir). */
  files: { checkpoint: string; metricsJson: string; metricsCsv: string } | null;
  /** The history as a danfojs DataFrame (loads danfojs-node on first use). */
  dataFrame(): DataFrame;
}

interface PassStats { lossSum: number; correct: number; seconds: number; circuits: number }

/** A training run of one model on one data set; `run()` performs it. `train()` is the short form. */
export class Trainer {
  private readonly opts: ResolvedOptions;
  private readonly trainSplit: PreparedSplit;
  private readonly valSplit: PreparedSplit | null;
  private readonly quantum: Array<tf.layers.Layer & QuantumLayerLike>;
  private readonly outputs: OutputKind;
  private readonly prng: Rng;
  private readonly earlyStopping: EarlyStopping | null;
  private optimizer: Adam | null = null;
  private best: tf.Tensor[] | null = null;
  private history: EpochRecord[] = [];
  private stopRequested = false;
  private started = false;
  private progress: ProgressReporter;

  constructor(private readonly model: tf.LayersModel, data: TrainData, options: TrainOptions = {}) {
    if (model == null || typeof (model as { apply?: unknown }).apply !== 'function' || !Array.isArray(model.layers)) {
      throw new Error('model: expected a tf.LayersModel');
    }
    this.opts = resolveOptions(options);
    if (data == null || typeof data !== 'object') throw new Error(`data: expected { train: { x, y }, validation? }, got ${String(data)}`);
    for (const k of Object.keys(data)) {
      if (k !== 'train' && k !== 'validation') throw new Error(`data: unknown key '${k}' (expected 'train' and optionally 'validation')`);
    }
    this.trainSplit = prepareSplit('data.train', data.train, model);
    this.valSplit = data.validation == null ? null : prepareSplit('data.validation', data.validation, model);
    const es = this.opts.earlyStopping;
    if (es && es.monitor.startsWith('val_') && !this.valSplit) {
      throw new Error(`earlyStopping.monitor: '${es.monitor}' needs data.validation; pass validation data or monitor 'loss'/'accuracy'`);
    }
    this.quantum = findQuantumLayers(model);
    this.outputs = resolveOutputKind(model, this.opts.outputs);
    this.prng = new Rng(this.opts.seed);
    this.earlyStopping = es ? new EarlyStopping(es) : null;
    this.progress = createProgress(this.opts.progress, this.opts.progressStream, { scope: this.opts.progressScope, label: this.opts.progressLabel ?? undefined });
  }

  /** Classical and quantum parameter groups (a weight is quantum when a quantum layer owns it). */
  private paramGroups(): ParamGroup[] {
    const quantumVars = new Set<tf.Variable>();
    for (const layer of this.quantum) for (const w of layer.trainableWeights) quantumVars.add(w.read() as tf.Variable);
    const all = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    if (all.length === 0) throw new Error('model: has no trainable weights');
    const groups: ParamGroup[] = [
      { name: 'classical', variables: all.filter((v) => !quantumVars.has(v)), learningRate: this.opts.learningRate },
      { name: 'quantum', variables: all.filter((v) => quantumVars.has(v)), learningRate: this.opts.quantumLearningRate },
    ];
    return groups.filter((g) => g.variables.length > 0);
  }

  /** Runs (or resumes) training and returns the metrics. */
  async run(): Promise<TrainResult> {
    const { opts, model } = this;
    // The PRNG, history and early-stopping state belong to one run: a second run() would continue them.
    if (this.started) throw new Error('Trainer.run: this trainer has already run; create a new Trainer (or call train()) for another run');
    this.started = true;
    setDiffMethod(this.quantum, opts.diffMethod);
    this.optimizer = new Adam(this.paramGroups(), opts.adam);
    const config = opts.outDir ? runConfig(opts, this.outputs, model, this.trainSplit, this.valSplit) : null;
    const hash = config ? configHash(config) : null;
    let resumedFrom = 0;
    let interrupted = false;
    try {
      if (opts.resume !== false && opts.outDir && config && hash) {
        const ckpt = await loadCheckpoint(opts.outDir);
        if (ckpt) {
          this.restore(ckpt, config, hash);
          resumedFrom = ckpt.meta.epoch;
          this.progress.note(`resumed from epoch ${resumedFrom} (${checkpointPath(opts.outDir)})`);
        } else if (opts.resume === true) {
          throw new Error(`resume: no checkpoint in '${opts.outDir}' (expected ${checkpointPath(opts.outDir)}); use resume: 'auto' to start fresh when none exists`);
        }
      }
      for (let epoch = resumedFrom + 1; epoch <= opts.epochs && !this.earlyStopping?.state.stopped; epoch++) {
        // The schedule reads only the epoch and the history before it: a resumed run gets the same rates.
        (this.optimizer as Adam).lrScale = lrFactor(opts.lrSchedule, epoch, this.history);
        const trainStats = await this.trainEpoch(epoch);
        if (trainStats == null) {
          interrupted = true;
          break;
        }
        const val = this.valSplit ? this.evaluate(this.valSplit) : null;
        const record: EpochRecord = {
          epoch,
          loss: trainStats.lossSum / this.trainSplit.size,
          accuracy: trainStats.correct / this.trainSplit.size,
          val_loss: val && this.valSplit ? val.lossSum / this.valSplit.size : null,
          val_accuracy: val && this.valSplit ? val.correct / this.valSplit.size : null,
          epoch_time_s: trainStats.seconds,
          val_time_s: val ? val.seconds : 0,
          circuit_executions: trainStats.circuits,
          val_circuit_executions: val ? val.circuits : 0,
        };
        this.history.push(record);
        if (this.earlyStopping?.update(record) && this.earlyStopping.config.restoreBest) this.keepBest();
        if (opts.outDir && config && hash) {
          await saveCheckpoint(opts.outDir, await this.snapshot(epoch, config, hash));
          await writeMetrics(opts.outDir, this.history, config, hash);
        }
        this.progress.epochEnd(record, opts.epochs);
        if (opts.onEpochEnd) await opts.onEpochEnd(record, this.control());
        if (this.stopRequested || opts.signal?.aborted) {
          interrupted = epoch < opts.epochs && !this.earlyStopping?.state.stopped;
          break;
        }
      }
      let restoredBestEpoch: number | null = null;
      let lastWeights: tf.Tensor[] | null = null;
      if (!interrupted && this.best && this.earlyStopping) {
        if (opts.keepLastWeights) lastWeights = this.model.weights.map((w) => tf.clone(w.read()));
        this.writeWeights(this.best);
        restoredBestEpoch = this.earlyStopping.state.bestEpoch;
      }
      if (opts.outDir && config && hash && resumedFrom > 0 && this.history.length === resumedFrom) {
        await writeMetrics(opts.outDir, this.history, config, hash); // nothing new ran: keep the files in step
      }
      const history = [...this.history];
      return {
        history,
        epoch: history.length,
        resumedFrom,
        stoppedEarly: this.earlyStopping?.state.stopped ?? false,
        interrupted,
        restoredBestEpoch,
        lastWeights,
        outputs: this.outputs,
        config,
        configHash: hash,
        files: opts.outDir ? {
          checkpoint: checkpointPath(opts.outDir),
          metricsJson: path.join(opts.outDir, METRICS_JSON),
          metricsCsv: path.join(opts.outDir, METRICS_CSV),
        } : null,
        dataFrame: () => metricsDataFrame(history),
      };
    } finally {
      this.progress.finish();
      this.optimizer.dispose();
      this.optimizer = null;
      this.best?.forEach((t) => t.dispose());
      this.best = null;
    }
  }

  private control(): TrainControl {
    return { stop: () => { this.stopRequested = true; } };
  }

  /** One pass over the shuffled training set; null when stopped part-way (the partial epoch is not kept). */
  private async trainEpoch(epoch: number): Promise<PassStats | null> {
    const { opts, trainSplit: split } = this;
    const n = split.size;
    const order = opts.shuffle ? shuffledOrder(n, this.prng) : Int32Array.from({ length: n }, (_, i) => i);
    const batches = Math.ceil(n / opts.batchSize);
    this.progress.epochStart(epoch, opts.epochs, n);
    const stats: PassStats = { lossSum: 0, correct: 0, seconds: 0, circuits: 0 };
    for (let b = 0; b < batches; b++) {
      if (this.stopRequested || opts.signal?.aborted) return null;
      const t0 = performance.now();
      const idx = order.subarray(b * opts.batchSize, Math.min(n, (b + 1) * opts.batchSize));
      const [lossT, correctT] = withSeededMathRandom(nextSeed(this.prng), () => explainKernelError(() => this.step(idx)));
      const lossSum = (await lossT.data())[0];
      const correct = (await correctT.data())[0];
      lossT.dispose();
      correctT.dispose();
      stats.seconds += (performance.now() - t0) / 1000;
      stats.lossSum += lossSum;
      stats.correct += correct;
      stats.circuits += countCircuitExecutions(this.quantum, idx.length, 'forward') + countCircuitExecutions(this.quantum, idx.length, 'backward');
      const done = Math.min(n, (b + 1) * opts.batchSize);
      this.progress.batch(done, stats.lossSum / done, stats.correct / done);
      if (opts.onBatchEnd) {
        await opts.onBatchEnd({ epoch, batch: b, batches, size: idx.length, loss: lossSum / idx.length, accuracy: correct / idx.length }, this.control());
        if (this.stopRequested) return null;
      }
    }
    return stats;
  }

  /** Forward, backward and Adam update on one batch; returns [cross-entropy sum, correct count]. */
  private step(idx: Int32Array): [tf.Scalar, tf.Scalar] {
    const optimizer = this.optimizer as Adam;
    return tf.tidy(() => {
      const x = this.trainSplit.inputsAt(idx);
      const y = labelTensor(this.trainSplit, idx);
      let lossSum: tf.Scalar | null = null;
      let correct: tf.Scalar | null = null;
      const { grads } = tf.variableGrads(() => {
        const out = this.model.apply(x, { training: true }) as tf.Tensor;
        lossSum = tf.keep(crossEntropySum(out, y, this.outputs));
        correct = tf.keep(correctCount(out, y));
        let loss: tf.Scalar = tf.div(lossSum, idx.length);
        for (const penalty of this.model.calculateLosses()) loss = tf.add(loss, penalty);
        return loss;
      }, optimizer.variables);
      optimizer.applyGradients(grads);
      return [lossSum as unknown as tf.Scalar, correct as unknown as tf.Scalar];
    });
  }

  /** Inference-mode pass over a split in order (seeded like training steps, for shot-based layers). */
  private evaluate(split: PreparedSplit): PassStats {
    const t0 = performance.now();
    const bs = this.opts.validationBatchSize;
    const stats: PassStats = { lossSum: 0, correct: 0, seconds: 0, circuits: 0 };
    for (let start = 0; start < split.size; start += bs) {
      const size = Math.min(bs, split.size - start);
      const [l, c] = withSeededMathRandom(nextSeed(this.prng), () => tf.tidy(() => {
        const x = split.inputsRange(start, size);
        const y = labelTensor(split, Int32Array.from({ length: size }, (_, k) => start + k));
        const out = this.model.apply(x, { training: false }) as tf.Tensor;
        return [crossEntropySum(out, y, this.outputs), correctCount(out, y)];
      }));
      stats.lossSum += l.dataSync()[0];
      stats.correct += c.dataSync()[0];
      l.dispose();
      c.dispose();
      stats.circuits += countCircuitExecutions(this.quantum, size, 'forward');
    }
    stats.seconds = (performance.now() - t0) / 1000;
    return stats;
  }

  /** Copies the current weights as the best so far (early stopping with restoreBest). */
  private keepBest(): void {
    this.best?.forEach((t) => t.dispose());
    this.best = this.model.weights.map((w) => tf.clone(w.read()));
  }

  /** Assigns values to model.weights in order (plain assign: no constraint re-application, so bits survive). */
  private writeWeights(values: ReadonlyArray<tf.Tensor | CheckpointTensor>): void {
    const weights = this.model.weights;
    if (values.length !== weights.length) throw new Error(`checkpoint: has ${values.length} model weights, the model has ${weights.length}`);
    weights.forEach((w, i) => {
      const v = values[i];
      const shape = v instanceof tf.Tensor ? v.shape : v.shape;
      if (shape.join(',') !== w.shape.join(',')) throw new Error(`checkpoint: weight ${i} (${w.name}) has shape [${shape}], the model expects [${w.shape}]`);
      tf.tidy(() => (w.read() as tf.Variable).assign(v instanceof tf.Tensor ? v : tf.tensor(v.data, v.shape, w.dtype)));
    });
  }

  /** The run state after `epoch` as a checkpoint. */
  private async snapshot(epoch: number, config: RunConfig, hash: string): Promise<Checkpoint> {
    const tensors: CheckpointTensor[] = [];
    const add = async (prefix: string, ts: ReadonlyArray<tf.Tensor>): Promise<void> => {
      for (let i = 0; i < ts.length; i++) {
        tensors.push({ name: `${prefix}/${i}`, shape: ts[i].shape.slice(), data: (await ts[i].data()) as Float32Array | Int32Array });
      }
    };
    await add('weights', this.model.weights.map((w) => w.read()));
    const adam = await (this.optimizer as Adam).getState();
    adam.m.forEach((m, i) => tensors.push({ name: `adam/m/${i}`, shape: [m.length], data: m }));
    adam.v.forEach((v, i) => tensors.push({ name: `adam/v/${i}`, shape: [v.length], data: v }));
    if (this.best) await add('best', this.best);
    return {
      meta: {
        format: 'qkc-train-checkpoint/1',
        epoch,
        configHash: hash,
        config,
        history: [...this.history],
        prngState: this.prng.getState(),
        optimizerStep: adam.step,
        earlyStopping: this.earlyStopping ? { ...this.earlyStopping.state } : null,
        savedAt: new Date().toISOString(),
      },
      tensors,
    };
  }

  /** Loads a checkpoint into this run after checking that it belongs to the same configuration. */
  private restore(ckpt: Checkpoint, config: RunConfig, hash: string): void {
    const dir = this.opts.outDir as string;
    if (ckpt.meta.configHash !== hash) {
      const diffs = diffConfigs(ckpt.meta.config, config);
      throw new Error(`resume: the checkpoint in '${dir}' was written by a run with a different configuration; refusing to resume.\n` +
        `  ${diffs.length ? diffs.join('\n  ') : `config hash ${ckpt.meta.configHash} vs ${hash}`}\n` +
        `Start a fresh run (resume: false) or use another outDir.`);
    }
    if (ckpt.meta.history.length !== ckpt.meta.epoch) throw new Error(`checkpoint: epoch ${ckpt.meta.epoch} but ${ckpt.meta.history.length} history records`);
    this.writeWeights(tensorGroup(ckpt, 'weights'));
    (this.optimizer as Adam).setState({
      step: ckpt.meta.optimizerStep,
      m: tensorGroup(ckpt, 'adam/m').map((t) => t.data as Float32Array),
      v: tensorGroup(ckpt, 'adam/v').map((t) => t.data as Float32Array),
    });
    this.prng.setState(ckpt.meta.prngState);
    this.history = [...ckpt.meta.history];
    if (this.earlyStopping && ckpt.meta.earlyStopping) this.earlyStopping.state = { ...ckpt.meta.earlyStopping };
    const best = tensorGroup(ckpt, 'best');
    if (best.length > 0) this.best = best.map((t) => tf.tensor(t.data, t.shape));
  }
}

/**
 * Runs `fn`, turning tfjs's "Kernel 'X' not registered for backend 'Y'" into a message that says what it
 * means for training (e.g. tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter: conv2d cannot be trained).
 */
function explainKernelError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const m = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec((e as Error).message ?? '');
    if (!m) throw e;
    throw new Error(`train: the '${m[2]}' backend has no '${m[1]}' kernel, which this model's training step needs ` +
      `(a layer of the model cannot be differentiated on this backend; try QKC_BACKEND=cpu or replace the layer)`);
  }
}

/** Trains `model` on `data` with a custom Adam loop; see `TrainOptions` for the knobs and `TrainResult` for the output. */
export async function train(model: tf.LayersModel, data: TrainData, options: TrainOptions = {}): Promise<TrainResult> {
  // async so that bad arguments surface as a rejection, like every other failure of a run.
  return new Trainer(model, data, options).run();
}
