/**
 * The worker thread of the parallel host kernel (started by host-threads.ts): it waits for programs and
 * runs its part of each, meeting the main thread at the shared barrier. It loads only the host kernel
 * (no tfjs). Any failure aborts the run for every part and leaves its message in shared memory.
 */
import { parentPort, workerData } from 'worker_threads';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import { PartProgram, runPart } from './host-part';
import { PoolControl, barrier, reportFailure, CTL } from './host-barrier';

const { ctl, message, part } = workerData as { ctl: Int32Array; message: Uint8Array; part: number };
const control: PoolControl = { ctl, message, parts: 0 };
// Each program brings its shared buffers; this thread allocates too little for its GC to run on its own,
// so without a collection after each run it would keep every state it has seen alive.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as (options?: { type: 'minor' | 'major'; execution: 'sync' | 'async' }) => void;

parentPort?.on('message', (program: PartProgram) => {
  control.parts = program.parts;
  try {
    runPart(program, part, () => barrier(control), () => Atomics.add(ctl, CTL.heartbeat, 1));
  } catch (e) {
    // An abort raised by another part is theirs to report; report only our own failures.
    if (!(e instanceof Error && e.name === 'HostRunAborted')) reportFailure(control, `host worker ${part}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  } finally {
    Atomics.sub(ctl, CTL.busy, 1);
    Atomics.notify(ctl, CTL.busy);
    // After the handler returns, the program (and its buffers) is garbage here.
    setImmediate(() => collect({ type: 'minor', execution: 'sync' }));
  }
});
Atomics.store(ctl, CTL.ready + part, 1);
Atomics.notify(ctl, CTL.ready + part);
