/** `qkc worker --queue redis://…`: takes suite runs from the queue that `qkc reproduce --queue` fills, until stopped. */
import * as path from 'path';
import { checkRedisUrl, startQueueWorker } from '../experiments/executors';
import { UsageError } from './args';
import { checkPositionals, requireOption } from './cli-util';
import { Command } from './command';

/** Runs a queue worker until SIGINT/SIGTERM; see `qkc worker --help`. */
export const workerCommand: Command = {
  name: 'worker',
  summary: "take suite runs from a Redis queue (filled by 'qkc reproduce --queue') and train them, until stopped",
  options: {
    queue: { type: 'string', help: "Redis URL (redis://host:port/db), the same as the submitter's" },
    'runs-dir': { type: 'string', help: 'folder for per-run checkpoints; shared between machines, a retried run resumes from it', default: path.join('runs', 'reproduce') },
    name: { type: 'string', help: "this worker's name in the submitter's progress (default: host-pid)" },
    'lock-seconds': { type: 'integer', help: 'a worker silent this long is taken for dead and its run retried elsewhere', default: 60 },
    'stalled-seconds': { type: 'integer', help: 'how often to look for runs of dead workers', default: 30 },
  },
  async run(args) {
    checkPositionals(args, 'worker');
    const o = args.options;
    const url = requireOption(args, 'queue', 'worker');
    try {
      checkRedisUrl(url);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    for (const k of ['lock-seconds', 'stalled-seconds']) {
      if ((o[k] as number) < 1) throw new UsageError(`--${k}: expected a positive integer, got ${o[k]}`);
    }
    const worker = await startQueueWorker({
      url, runsDir: String(o['runs-dir']), name: o.name as string | undefined, lockSeconds: o['lock-seconds'] as number,
      stalledSeconds: o['stalled-seconds'] as number, log: (line) => console.log(line),
    });
    await new Promise<void>((resolve) => {
      const stop = (signal: string): void => {
        console.log(`${worker.name}: ${signal}: stopping; a run in progress goes back to the queue once its lock expires and resumes from its checkpoint`);
        resolve();
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    await worker.close(true);
  },
};
