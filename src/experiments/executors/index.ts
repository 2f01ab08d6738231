/**
 * Executors of planned runs beyond this process: `LocalWorkersExecutor` (N Node processes on this machine,
 * `qkc reproduce --workers N`), `RedisQueueExecutor` (a BullMQ queue on Redis, `qkc reproduce --queue URL`)
 * with `startQueueWorker` on the other side (`qkc worker --queue URL`), and `runSuiteOn` tying a suite's
 * plan, an executor, sweep progress and the summary together. The sequential runner is `runSuite`.
 */
export { RUN_ATTEMPTS, errorLine } from './events';
export type { RunEvent, RunOutcome, RunExecutor } from './events';
export { jobIdOf } from './job-id';
export { LocalWorkersExecutor, defaultWorkerCount } from './local';
export { RedisQueueExecutor, runResultJson } from './queue-submit';
export type { QueueExecutorOptions } from './queue-submit';
export { startQueueWorker } from './queue-worker';
export type { QueueWorkerOptions, QueueWorkerHandle } from './queue-worker';
export { QUEUE_NAME, RedisUnavailableError, checkRedis, checkRedisUrl, displayUrl, backoffMs } from './redis';
export { runHere } from './run-here';
export type { RunHereOptions } from './run-here';
export { SweepProgress, formatDuration } from './sweep-progress';
export { runSuiteOn } from './suite-jobs';
export type { SuiteJobsOutcome, SuiteJobsOptions } from './suite-jobs';
