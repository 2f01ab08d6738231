/**
 * Executing a planned run inside a worker process (a local child or a queue worker): data loaded once per
 * process and reused, checkpoints under this worker's runs folder, an epoch callback for progress, and a
 * yield to the event loop after every batch so the process stays responsive while it trains (a queue
 * worker must renew its job lock, or the job would be taken for stalled and run twice).
 */
import * as path from 'path';
import type { TrainTestSplit } from '../../data';
import { openDataset } from '../dataset-ref';
import { executeRun } from '../execute';
import type { RunResult } from '../results';
import type { RunSpec } from '../run-spec';

/** How a worker runs a spec. */
export interface RunHereOptions {
  /** Put the checkpoint folder under this folder (same folder name as planned); default: the planned spec.runDir. */
  runsDir?: string;
  /** Write the result file here instead of spec.resultFile (a queue worker keeps its copy in the run folder). */
  resultFile?: string;
  /** Called after every finished epoch (1-based), with the run's epoch count. */
  onEpoch?: (epoch: number, epochs: number) => void;
  /** Stops training at the next batch (the run resumes from its checkpoint when executed again). */
  signal?: AbortSignal;
}

const splits = new Map<string, TrainTestSplit>();

/** The split of a spec, loaded once per process (a worker runs many runs on the same data). */
function dataOf(spec: RunSpec): TrainTestSplit {
  if (!spec.data.ref) throw new Error(`${spec.id}: the plan was made with data given in-process (data.ref is null); another process cannot load it`);
  const key = JSON.stringify(spec.data.ref);
  let split = splits.get(key);
  if (!split) {
    split = openDataset(spec.data.ref);
    splits.set(key, split);
  }
  return split;
}

/** Lets timers and I/O run (lock renewal, IPC) between two training steps. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs one spec in this process and resolves to its RunResult (written to the result file as executeRun does). */
export async function runHere(spec: RunSpec, options: RunHereOptions = {}): Promise<RunResult> {
  const runDir = options.runsDir ? path.join(options.runsDir, path.basename(spec.runDir)) : spec.runDir;
  const local: RunSpec = { ...spec, runDir, resultFile: options.resultFile ?? spec.resultFile };
  return executeRun(local, {
    data: dataOf(spec), signal: options.signal,
    onBatchEnd: yieldToEventLoop,
    onEpochEnd: (record) => options.onEpoch?.(record.epoch, spec.training.epochs),
  });
}
