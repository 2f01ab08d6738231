/**
 * `qkc reproduce --queue redis://…`: the submitter. Enqueues the planned runs on a BullMQ queue (job id from
 * the run's key, so resubmitting or a second submitter adds nothing), then follows the jobs until each has
 * finished or failed for good, writing each finished run's result file from the job's return value — the
 * same bytes a local run writes. Workers (`qkc worker`) on any machine take the jobs.
 */
import type IORedis from 'ioredis';
import { Queue, type Job } from 'bullmq';
import { writeFileAtomic } from '../../train';
import { resultMatches } from '../plan-rules';
import { checkRunResult, type RunResult } from '../results';
import type { RunSpec } from '../run-spec';
import { RUN_ATTEMPTS, errorLine, type RunEvent, type RunExecutor, type RunOutcome } from './events';
import { jobIdOf } from './job-id';
import { QUEUE_NAME, checkRedis, checkRedisUrl, displayUrl, submitterConnection } from './redis';

/** Options of the queue executor. */
export interface QueueExecutorOptions {
  /** Seconds between two looks at the jobs (default 1). */
  pollSeconds?: number;
  /** Queue name (default QUEUE_NAME; workers must use the same). */
  queueName?: string;
}

/** Job options: tried RUN_ATTEMPTS times with exponential backoff; finished and failed jobs stay (they are the record). */
const JOB_OPTIONS = { attempts: RUN_ATTEMPTS, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: false, removeOnFail: false } as const;

/** A run's result file as every executor writes it (runExperiment's serialisation). */
export function runResultJson(result: RunResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}

/** What the submitter last saw of a job (to report changes only). */
interface Seen {
  spec: RunSpec;
  jobId: string;
  worker: string | null;
  attempts: number;
  epoch: number;
  outcome: RunOutcome | null;
}

/** Puts planned runs on a Redis queue and follows them; see the file comment. */
export class RedisQueueExecutor implements RunExecutor {
  readonly where: string;
  private readonly pollMs: number;
  private readonly queueName: string;

  constructor(private readonly url: string, options: QueueExecutorOptions = {}) {
    checkRedisUrl(url);
    this.pollMs = 1000 * (options.pollSeconds ?? 1);
    this.queueName = options.queueName ?? QUEUE_NAME;
    this.where = `queue '${this.queueName}' at ${displayUrl(url)} (start workers with: qkc worker --queue ${displayUrl(url)})`;
  }

  async run(specs: readonly RunSpec[], onEvent: (e: RunEvent) => void): Promise<RunOutcome[]> {
    await checkRedis(this.url);
    const connection: IORedis = submitterConnection(this.url);
    const queue = new Queue(this.queueName, { connection });
    try {
      const seen: Seen[] = [];
      for (const spec of specs) {
        if (!spec.data.ref) throw new Error(`${spec.id}: its data was given in-process (data.ref is null), so a worker cannot load it`);
        const jobId = jobIdOf(spec);
        const attempts = await this.enqueue(queue, spec, jobId);
        seen.push({ spec, jobId, worker: null, attempts, epoch: 0, outcome: null });
      }
      for (;;) {
        for (const s of seen.filter((x) => !x.outcome)) await this.look(queue, s, onEvent);
        if (seen.every((s) => s.outcome)) return seen.map((s) => s.outcome!);
        await new Promise((resolve) => setTimeout(resolve, this.pollMs));
      }
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }

  /**
   * Adds the job unless it exists; a job that failed for good before is tried again (this is a new submission).
   * Resolves to the attempts the job has made so far (a job another submitter added may be under way).
   */
  private async enqueue(queue: Queue, spec: RunSpec, jobId: string): Promise<number> {
    const existing = await queue.getJob(jobId);
    if (!existing) {
      await queue.add('run', spec, { ...JOB_OPTIONS, jobId });
      return 0;
    }
    if ((await existing.getState()) === 'failed') {
      await existing.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return 0;
    }
    return existing.attemptsMade;
  }

  /** Looks at one job and reports what changed; sets `s.outcome` when it is finished. */
  private async look(queue: Queue, s: Seen, onEvent: (e: RunEvent) => void): Promise<void> {
    const job = await queue.getJob(s.jobId);
    if (!job) { // removed by someone (e.g. queue obliterated): add it again
      await queue.add('run', s.spec, { ...JOB_OPTIONS, jobId: s.jobId });
      return;
    }
    const state = await job.getState();
    const id = s.spec.id;
    if (job.attemptsMade > s.attempts && state !== 'failed' && state !== 'completed') {
      onEvent({ type: 'retry', id, attempt: job.attemptsMade + 1, error: job.failedReason || 'failed' });
      s.worker = null;
      s.epoch = 0;
    }
    s.attempts = job.attemptsMade;
    if (state === 'completed') {
      let result: RunResult;
      try {
        result = await this.deliver(job, s.spec);
      } catch (e) { // a return value that is not this run's result: reported, the sweep goes on
        const error = errorLine(e);
        s.outcome = { spec: s.spec, status: 'failed', error, attempts: job.attemptsMade };
        onEvent({ type: 'failed', id, attempts: job.attemptsMade, error });
        return;
      }
      s.outcome = { spec: s.spec, status: 'done', result };
      onEvent({ type: 'done', id, worker: job.processedBy ?? '?', result });
    } else if (state === 'failed') {
      const error = job.failedReason || 'failed';
      s.outcome = { spec: s.spec, status: 'failed', error, attempts: job.attemptsMade };
      onEvent({ type: 'failed', id, attempts: job.attemptsMade, error });
    } else if (state === 'active') {
      const worker = job.processedBy ?? '?';
      const p = job.progress as { epoch?: number; epochs?: number } | number;
      const epoch = typeof p === 'object' && p && typeof p.epoch === 'number' ? p.epoch : 0;
      if (worker !== s.worker) {
        onEvent({ type: 'started', id, worker, attempt: job.attemptsMade + 1 });
        s.worker = worker;
        s.epoch = 0;
      }
      if (epoch > s.epoch) {
        onEvent({ type: 'epoch', id, worker, epoch, epochs: s.spec.training.epochs });
        s.epoch = epoch;
      }
    } else if (s.worker !== null) {
      s.worker = null; // back in the queue (its worker stopped): another worker takes it
      s.epoch = 0;
    }
  }

  /** Checks a finished job's return value against its spec and writes the result file. */
  private async deliver(job: Job, spec: RunSpec): Promise<RunResult> {
    const result = checkRunResult(job.returnvalue, `job ${job.id}`);
    if (!resultMatches(result, spec)) throw new Error(`job ${job.id}: its result does not match the planned run ${spec.id} (another version of qkc on the worker?)`);
    await writeFileAtomic(spec.resultFile, runResultJson(result));
    return result;
  }
}
