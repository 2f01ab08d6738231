/** `qkc noise-eval`: a trained hybrid's accuracy under the noise of IBM device snapshots (qkc's density-matrix simulator, cross-checked by Aer). */
import * as fs from 'fs';
import * as path from 'path';
import { ready, tf } from '../backend';
import { RUN_FILES, loadRun, openDataset, type DatasetRef } from '../experiments';
import { MODEL_JSON, fileSystemIO } from '../qkc';
import { NOISE_EVAL_FORMAT, noiseEvaluate, type NoiseEvalRecord } from '../device';
import { writeFileAtomic } from '../util';
import { UsageError } from './args';
import { SUBSET_OPTIONS, checkPositionals, listOption, subsetFromArgs } from './cli-util';
import { Command } from './command';

/** Evaluates a run's model noiselessly and under each named device; see `qkc noise-eval --help`. */
export const noiseEvalCommand: Command = {
  name: 'noise-eval',
  summary: 'accuracy of a trained hybrid (QuantumConv2D and QuantumPooling layers) under real-device noise (fake IBM snapshots via Qiskit; qkc simulates, Aer cross-checks)',
  options: {
    'model-dir': { type: 'string', help: 'run directory written by qkc train (run.json + checkpoint), or a saved model (model.json + weights.bin, e.g. figures/results/full-official-models/<run id>; needs --dataset)' },
    dataset: { type: 'string', help: "the dataset of a saved model directory ('mnist', 'mnist-official', 'fashion-mnist', …); a run directory records its own" },
    device: { type: 'string', help: "fake IBM device(s), comma-separated (qiskit_ibm_runtime.fake_provider), e.g. 'fake_manila,fake_lima'", default: 'fake_manila' },
    shots: { type: 'integer', help: 'also evaluate with this many shots per patch (exact expectations only when omitted)' },
    'check-windows': { type: 'integer', help: 'circuit rows of test images on which Aer cross-checks each transpiled circuit (0: none)', default: 32 },
    'aer-full': { type: 'boolean', help: "Aer evaluates every circuit row of the test set (exact, and with --shots), timing Aer on the whole evaluation; slow" },
    'batch-size': { type: 'integer', help: 'evaluation batch size (images)', default: 64 },
    seed: { type: 'integer', help: 'transpiler and simulator seed', default: 0 },
    'head-shift': { type: 'boolean', help: "also measure how far the last quantum layer's outputs (the classical head's input) move from the noiseless model's (exact; one more noisy pass)" },
    'noisy-layers': { type: 'string', help: "run only these quantum layers under device noise, comma-separated indices in model order (hybrid-qpool: 0 the kernel, 1 its QuantumPooling block); the others stay noiseless (default: all)" },
    out: { type: 'string', help: 'results file (default <model-dir>/noise-eval.json)' },
    ...SUBSET_OPTIONS,
    json: { type: 'boolean', help: 'print the results as JSON' },
  },
  async run(args) {
    checkPositionals(args, 'noise-eval');
    const o = args.options;
    const dir = o['model-dir'] as string | undefined;
    if (!dir) throw new UsageError("'qkc noise-eval' needs --model-dir DIR (a run written by qkc train)");
    const devices = String(o.device).split(',').map((d) => d.trim()).filter((d) => d.length > 0);
    if (devices.length === 0) throw new UsageError(`--device: expected one or more fake device names, got '${o.device}'`);
    if (o.shots !== undefined && (o.shots as number) < 1) throw new UsageError(`--shots: expected a positive integer, got ${o.shots}`);
    if ((o['batch-size'] as number) < 1) throw new UsageError(`--batch-size: expected a positive integer, got ${o['batch-size']}`);
    if ((o['check-windows'] as number) < 0) throw new UsageError(`--check-windows: expected 0 or more, got ${o['check-windows']}`);
    const noisyLayers = listOption(args, 'noisy-layers')?.map((v) => {
      if (!/^\d+$/.test(v)) throw new UsageError(`--noisy-layers: expected comma-separated quantum-layer indices (0, 1, …), got '${o['noisy-layers']}'`);
      return Number(v);
    });
    await ready();
    const loaded = await loadEvaluated(dir, o.dataset as string | undefined);
    try {
      const stored = loaded.ref;
      const subset = subsetFromArgs(args);
      const ref: DatasetRef = { ...stored, subset: Object.keys(subset).length ? subset : stored.subset };
      const data = openDataset(ref);
      const result = noiseEvaluate(loaded.model, data.test, {
        devices, shots: o.shots as number | undefined, checkWindows: o['check-windows'] as number, aerFull: o['aer-full'] === true, batchSize: o['batch-size'] as number,
        seed: o.seed as number, noisyLayers, headShift: o['head-shift'] === true, log: o.json ? undefined : (line) => console.log(line),
      });
      const record: NoiseEvalRecord = {
        format: NOISE_EVAL_FORMAT, model: loaded.name, seed: loaded.seed, epoch: loaded.epoch, checkpoint: loaded.checkpoint,
        dataset: data.source, created: new Date().toISOString(), ...result,
      };
      const out = (o.out as string | undefined) ?? path.join(dir, 'noise-eval.json');
      await writeFileAtomic(out, JSON.stringify(record, null, 2) + '\n');
      if (o.json) { console.log(JSON.stringify(record, null, 2)); return; }
      const noisyNames = (result.noisyLayers ?? []).map((i) => result.quantumLayers?.[i].layer);
      if (noisyNames.length < (result.quantumLayers?.length ?? 0)) console.log(`device noise on ${noisyNames.join(', ')} only; the other quantum layer(s) noiseless`);
      for (const d of result.devices) {
        const c = d.kernels.map((k) => k.aer ? `Aer |Δ| ${k.aer.maxAbsExact.toExponential(1)} on ${k.aer.windows} windows` : 'no Aer check').join('; ');
        console.log(`${d.device.name} v${d.device.version} (calibrated ${d.device.calibrated}): exact ${(100 * d.exact.accuracy).toFixed(2)} %` +
          `${d.shots ? `, ${d.shots.shots} shots ${(100 * d.shots.accuracy).toFixed(2)} %` : ''} vs noiseless ${(100 * result.noiseless.accuracy).toFixed(2)} %; ${c}` +
          `${d.headShift ? `; head input mean |Δ| ${d.headShift.meanAbs.toFixed(4)} (noiseless std ${d.headShift.noiselessStd.toFixed(4)})` : ''}`);
      }
      console.log(`results: ${out}`);
    } finally {
      loaded.model.dispose();
    }
  },
};

/** The model to evaluate with its name, seed, where its weights came from and its dataset. */
interface Evaluated { model: tf.LayersModel; name: string; seed: number | null; epoch: number; checkpoint: string; ref: DatasetRef }

/** A qkc train run directory (run.json + checkpoint), or a saved model directory (model.json + weights.bin) with `--dataset`. */
async function loadEvaluated(dir: string, dataset: string | undefined): Promise<Evaluated> {
  if (!fs.existsSync(path.join(dir, RUN_FILES.info)) && fs.existsSync(path.join(dir, MODEL_JSON))) {
    if (!dataset) throw new UsageError(`'${dir}' is a saved model (${MODEL_JSON}) without a run record; name its dataset with --dataset`);
    const model = await tf.loadLayersModel(fileSystemIO(dir));
    const seed = /-s(\d+)$/.exec(path.basename(path.resolve(dir)));
    return { model, name: model.name, seed: seed ? Number(seed[1]) : null, epoch: -1, checkpoint: path.join(dir, MODEL_JSON), ref: { dataset, subset: {} } };
  }
  if (dataset) throw new UsageError(`--dataset is for a saved model directory; the run in '${dir}' records its own dataset`);
  const loaded = await loadRun(dir);
  const ref = loaded.info?.dataset.ref;
  if (!ref) { loaded.model.dispose(); throw new UsageError(`the run in '${dir}' does not record its dataset`); }
  return { model: loaded.model, name: loaded.info?.model ?? loaded.model.name, seed: loaded.info?.seed ?? null, epoch: loaded.epoch, checkpoint: loaded.checkpoint, ref };
}
