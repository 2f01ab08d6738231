/**
 * The worker process of `qkc reproduce --workers N` (forked by workerpool): runs one planned run at a time,
 * writing its result file as a sequential run would, and reports start and epochs to the parent.
 */
import * as os from 'os';
import workerpool from 'workerpool';
import { ready } from '../../backend';
import type { RunSpec } from '../run-spec';
import { runHere } from './run-here';

const worker = `${os.hostname()}-${process.pid}`;

workerpool.worker({
  async run(spec: RunSpec, attempt: number) {
    await ready();
    workerpool.workerEmit({ type: 'started', worker, attempt });
    return runHere(spec, { onEpoch: (epoch, epochs) => workerpool.workerEmit({ type: 'epoch', worker, epoch, epochs }) });
  },
});
