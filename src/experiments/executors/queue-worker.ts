/**
 * `qkc worker --queue redis://…`: takes planned runs from the BullMQ queue one at a time, trains each with
 * checkpoints under this machine's runs folder (a shared folder lets a retried run resume where a killed
 * worker stopped; otherwise it starts over), reports epochs as job progress and returns the RunResult,
 * which the submitter writes. Stalled jobs (a worker killed mid-run stops renewing its lock) are put back
 * in the queue by BullMQ's stalled-job check on any live worker.
 */
import * as os from 'os';
import * as path from 'path';
import { Worker, type Job } from 'bullmq';
import { ready } from '../../backend';
import { RUN_FILES } from '../experiment';
import { RUN_ATTEMPTS, errorLine } from './events';
import type { RunSpec } from '../run-spec';
import { runHere } from './run-here';
import { QUEUE_NAME, checkRedisUrl, displayUrl, isConnectionError, workerConnection } from './redis';

/** Options of a queue worker. */
export interface QueueWorkerOptions {
  url: string;
  /** Checkpoint folders of the runs (share it between machines to resume a killed worker's run). */
  runsDir: string;
  /** This worker's name in the submitter's progress (default host-pid). */
  name?: string;
  /** Lock of a job: a worker silent this long is taken for dead and its job retried (default 60 s). */
  lockSeconds?: number;
  /** How often this worker checks for stalled jobs (default 30 s). */
  stalledSeconds?: number;
  queueName?: string;
  log?: (line: string) => void;
}

/** A running queue worker. */
export interface QueueWorkerHandle {
  readonly name: string;
  /** Stops taking jobs; `force` abandons the current run (its job returns to the queue once its lock expires). */
  close(force?: boolean): Promise<void>;
}

/** Starts a worker on the queue; it runs until closed. */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerHandle> {
  checkRedisUrl(options.url);
  const log = options.log ?? (() => undefined);
  const name = options.name ?? `${os.hostname()}-${process.pid}`;
  const runsDir = path.resolve(options.runsDir);
  await ready();
  const connection = workerConnection(options.url, (line) => log(`${name}: ${line}`));
  const processJob = async (job: Job<RunSpec>): Promise<unknown> => {
    const spec = job.data;
    if (spec?.format !== 'qkc-run-spec/1') throw new Error(`job ${job.id}: expected a 'qkc-run-spec/1' record, got ${JSON.stringify(spec?.format)}`);
    const runDir = path.join(runsDir, path.basename(spec.runDir));
    log(`${name}: ${spec.id} started (job ${job.id}, attempt ${job.attemptsMade + 1}/${RUN_ATTEMPTS}${job.stalledCounter ? `, after ${job.stalledCounter} stall(s)` : ''})`);
    let first = true;
    const result = await runHere(spec, {
      runsDir, resultFile: path.join(runDir, RUN_FILES.result), // its own copy; the submitter writes the suite's file
      onEpoch: (epoch, epochs) => {
        if (first && epoch > 1) log(`${name}: ${spec.id} resumed from its checkpoint at epoch ${epoch - 1}`);
        first = false;
        log(`${name}: ${spec.id} epoch ${epoch}/${epochs}`);
        job.updateProgress({ epoch, epochs }).catch(() => undefined); // progress is best effort: never block training on Redis
      },
    });
    log(`${name}: ${spec.id} finished (test acc ${result.final.testAccuracy.toFixed(4)})`);
    return result;
  };
  const worker = new Worker<RunSpec>(options.queueName ?? QUEUE_NAME, processJob, {
    connection, name, concurrency: 1, autorun: true,
    lockDuration: 1000 * (options.lockSeconds ?? 60), stalledInterval: 1000 * (options.stalledSeconds ?? 30), maxStalledCount: RUN_ATTEMPTS - 1,
  });
  worker.on('failed', (job, err) => { if (job) log(`${name}: ${job.data.id} attempt ${job.attemptsMade} failed: ${errorLine(err)}`); });
  let lastError = '';
  worker.on('error', (err) => {
    if (isConnectionError(err)) return; // the connection's backoff line says it
    const line = errorLine(err);
    if (line !== lastError) log(`${name}: ${line}`);
    lastError = line;
  });
  log(`${name}: waiting for runs on queue '${options.queueName ?? QUEUE_NAME}' at ${displayUrl(options.url)}; checkpoints in ${runsDir}`);
  return {
    name,
    async close(force = false) {
      await worker.close(force);
      connection.disconnect();
    },
  };
}
