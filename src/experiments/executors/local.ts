/**
 * `qkc reproduce --workers N`: planned runs on N separate Node processes of this machine (a workerpool of
 * forked children, each running one run at a time). Each child writes its run's result file itself, exactly
 * as the sequential runner does; a run whose child fails or dies is tried again, up to RUN_ATTEMPTS times,
 * resuming from its checkpoint, and is then reported failed while the other runs go on.
 */
import * as os from 'os';
import * as path from 'path';
import workerpool from 'workerpool';
import type { RunResult } from '../results';
import type { RunSpec } from '../run-spec';
import { RUN_ATTEMPTS, errorLine, type RunEvent, type RunExecutor, type RunOutcome } from './events';

/** The number of cores (the default worker count). */
export function defaultWorkerCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/**
 * The child script next to this file and how to fork it. When this file is TypeScript (tests), the child runs
 * through ts-node with this project's tsconfig, found from here whatever the working directory is.
 */
function childScript(): { script: string; forkOpts: { execArgv: string[]; env?: NodeJS.ProcessEnv } } {
  const ext = path.extname(__filename);
  const script = path.join(__dirname, `local-child${ext}`);
  if (ext !== '.ts') return { script, forkOpts: { execArgv: [] } };
  const env = { ...process.env, TS_NODE_PROJECT: process.env.TS_NODE_PROJECT ?? path.join(__dirname, '..', '..', '..', 'tsconfig.json') };
  return { script, forkOpts: { execArgv: ['-r', require.resolve('ts-node/register/transpile-only')], env } };
}

/** What a child reports (local-child.ts). */
type ChildEvent = { type: 'started'; worker: string; attempt: number } | { type: 'epoch'; worker: string; epoch: number; epochs: number };

/** Runs planned runs on local worker processes. */
export class LocalWorkersExecutor implements RunExecutor {
  readonly where: string;

  constructor(private readonly workers: number = defaultWorkerCount(), private readonly attempts = RUN_ATTEMPTS) {
    if (!Number.isInteger(workers) || workers < 1) throw new Error(`workers: expected a positive integer, got ${workers}`);
    this.where = `${workers} local worker process${workers === 1 ? '' : 'es'}`;
  }

  async run(specs: readonly RunSpec[], onEvent: (e: RunEvent) => void): Promise<RunOutcome[]> {
    const orphan = specs.find((s) => !s.data.ref);
    if (orphan) throw new Error(`${orphan.id}: its data was given in-process (data.ref is null), so a worker process cannot load it`);
    const { script, forkOpts } = childScript();
    const pool = workerpool.pool(script, { workerType: 'process', maxWorkers: Math.min(this.workers, Math.max(1, specs.length)), forkOpts });
    const runOne = async (spec: RunSpec): Promise<RunOutcome> => {
      let worker = '?';
      for (let attempt = 1; ; attempt++) {
        try {
          const result = (await pool.exec('run', [spec, attempt], {
            on: (p: ChildEvent) => {
              worker = p.worker;
              onEvent({ ...p, id: spec.id });
            },
          })) as RunResult;
          onEvent({ type: 'done', id: spec.id, worker, result });
          return { spec, status: 'done', result };
        } catch (e) {
          const error = errorLine(e);
          if (attempt >= this.attempts) {
            onEvent({ type: 'failed', id: spec.id, attempts: attempt, error });
            return { spec, status: 'failed', error, attempts: attempt };
          }
          onEvent({ type: 'retry', id: spec.id, attempt: attempt + 1, error });
        }
      }
    };
    try {
      return await Promise.all(specs.map(runOne));
    } finally {
      await pool.terminate();
    }
  }
}
