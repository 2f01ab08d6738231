/**
 * What identifies a run for resuming: every setting that changes the result (not `epochs`, so a finished
 * run can be extended), the model's architecture and the data's contents. A checkpoint stores this config
 * and its hash; resuming with a different one is refused with the differing fields named.
 */
import { createHash } from 'crypto';
import { tf } from '../backend';
import type { ResolvedOptions } from './options';
import type { OutputKind } from './loss';
import type { PreparedSplit } from './dataset';
import { isConstantLr, type LrSchedule } from './lr-schedule';

/** The settings that make two runs the same run (stored in checkpoints and metrics files). */
export interface RunConfig {
  seed: number;
  batchSize: number;
  validationBatchSize: number;
  learningRate: number;
  quantumLearningRate: number;
  adam: { beta1: number; beta2: number; epsilon: number };
  /** Present only when not constant, so the configs (and hashes) of constant-rate runs are what they were before schedules existed. */
  lrSchedule?: LrSchedule;
  shuffle: boolean;
  diffMethod: string;
  outputs: OutputKind;
  earlyStopping: ResolvedOptions['earlyStopping'];
  /** Layer classes and weight shapes in weight order (names are not used: tfjs renumbers them per model). */
  model: string[];
  /** Shape and SHA-256 of inputs and labels per split. */
  data: { train: string; validation: string | null };
  /** Backend name: repeatability is promised on one backend only. */
  backend: string;
}

/** Layer classes with their weight shapes, in `model.weights` order. */
export function modelFingerprint(model: tf.LayersModel): string[] {
  const out: string[] = [];
  const visit = (layers: tf.layers.Layer[]): void => {
    for (const layer of layers) {
      const inner = (layer as unknown as { layers?: unknown }).layers;
      if (Array.isArray(inner)) {
        visit(inner as tf.layers.Layer[]);
        continue;
      }
      const shapes = layer.weights.map((w) => `[${w.shape.join(',')}]${w.trainable ? '' : '(fixed)'}`);
      out.push(`${layer.getClassName()}${shapes.length ? ' ' + shapes.join(' ') : ''}`);
    }
  };
  visit(model.layers);
  return out;
}

/** Builds the run config. */
export function runConfig(
  opts: ResolvedOptions, outputs: OutputKind, model: tf.LayersModel, train: PreparedSplit, validation: PreparedSplit | null,
): RunConfig {
  return {
    seed: opts.seed,
    batchSize: opts.batchSize,
    validationBatchSize: opts.validationBatchSize,
    learningRate: opts.learningRate,
    quantumLearningRate: opts.quantumLearningRate,
    adam: { ...opts.adam },
    ...(isConstantLr(opts.lrSchedule) ? {} : { lrSchedule: { ...opts.lrSchedule } }),
    shuffle: opts.shuffle,
    diffMethod: opts.diffMethod,
    outputs,
    earlyStopping: opts.earlyStopping ? { ...opts.earlyStopping } : null,
    model: modelFingerprint(model),
    data: { train: train.fingerprint(), validation: validation ? validation.fingerprint() : null },
    backend: tf.getBackend(),
  };
}

/** Key-sorted JSON, so the hash does not depend on property order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** SHA-256 (hex, 16 chars) of the canonical config. */
export function configHash(config: RunConfig): string {
  return createHash('sha256').update(canonical(config)).digest('hex').slice(0, 16);
}

/** Human-readable differences between two configs ('field: a (checkpoint) vs b (now)'). */
export function diffConfigs(saved: RunConfig, now: RunConfig): string[] {
  const diffs: string[] = [];
  const keys = new Set([...Object.keys(saved), ...Object.keys(now)]);
  for (const k of keys) {
    const a = canonical((saved as unknown as Record<string, unknown>)[k]);
    const b = canonical((now as unknown as Record<string, unknown>)[k]);
    if (a !== b) diffs.push(`${k}: ${a} (checkpoint) vs ${b} (now)`);
  }
  return diffs;
}
