/**
 * The thread pool of the parallel host kernel: the main thread is part 0 and `threads − 1` worker
 * threads (host-worker.ts) take the other parts of each program, so a run stays synchronous (the main
 * thread waits on Atomics). Workers start on the first run, are reused, never keep the process alive
 * (unref), and a failure in any of them (at start-up, during a run, or a stall) surfaces as a
 * HostThreadError carrying the worker's message; a broken pool is replaced on the next run.
 */
import * as path from 'path';
import * as os from 'os';
import { Worker } from 'worker_threads';
import { PartProgram, runPart } from './host-part';
import { CTL, PoolControl, WAIT_SLICE_MS, barrier, failureMessage, newControl, reportFailure } from './host-barrier';

/** A failure of the parallel host kernel's threads. */
export class HostThreadError extends Error {
  override name = 'HostThreadError';
}

/** Longest a worker may take to start (ts-node compiles it on a loaded machine), and to show no progress in a run. */
export const WORKER_START_MS = 120_000;
/** See WORKER_START_MS. */
export const WORKER_STALL_MS = 300_000;

/** Cores this process may use (os.availableParallelism where Node has it). */
export function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** The worker's entry: the compiled .js next to this file, or the .ts source through ts-node's transpiler. */
function workerSource(): { code: string; eval: true } {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `host-worker${ext}`);
  const register = ext === '.ts' ? "require('ts-node/register/transpile-only');" : '';
  // Start-up failures (a missing file, a compile error) are written to shared memory: the main thread
  // is blocked in Atomics.wait and would not see the worker's 'error' event.
  const code = `
const { workerData } = require('worker_threads');
try { ${register} require(${JSON.stringify(file)}); }
catch (e) {
  const bytes = new TextEncoder().encode(String(e && e.stack || e)).subarray(0, workerData.message.length);
  workerData.message.set(bytes);
  Atomics.store(workerData.ctl, ${CTL.messageLength}, bytes.length);
  Atomics.store(workerData.ctl, ${CTL.ready} + workerData.part, -1);
  Atomics.notify(workerData.ctl, ${CTL.ready} + workerData.part);
}`;
  return { code, eval: true };
}

/** A pool of `threads − 1` workers plus the main thread. */
class HostPool {
  readonly control: PoolControl;
  private readonly workers: Worker[] = [];
  broken?: string;

  constructor(readonly threads: number) {
    this.control = newControl(threads);
    const src = workerSource();
    for (let part = 1; part < threads; part++) {
      const w = new Worker(src.code, { eval: true, workerData: { ctl: this.control.ctl, message: this.control.message, part } });
      // Seen only between runs (the main thread is blocked during one); the next run replaces the pool.
      w.on('error', (e) => { this.broken = `host worker ${part} failed: ${e.message}`; });
      w.on('exit', (code) => { this.broken ??= `host worker ${part} exited (code ${code})`; });
      w.unref();
      this.workers.push(w);
    }
    const ctl = this.control.ctl, t0 = Date.now();
    for (let part = 1; part < threads; part++) {
      while (Atomics.load(ctl, CTL.ready + part) === 0) {
        if (Date.now() - t0 > WORKER_START_MS) this.fail(`host worker ${part} did not start within ${WORKER_START_MS / 1000} s`);
        Atomics.wait(ctl, CTL.ready + part, 0, WAIT_SLICE_MS);
      }
      if (Atomics.load(ctl, CTL.ready + part) < 0) this.fail(`host worker ${part} failed to start: ${failureMessage(this.control)}`);
    }
  }

  /** Ends every worker and throws a HostThreadError with `message`. */
  fail(message: string): never {
    this.terminate();
    throw new HostThreadError(message);
  }

  terminate(): void {
    this.broken ??= 'terminated';
    for (const w of this.workers) void w.terminate();
  }

  /** Runs `program` on every part and returns when all are done; throws the first part's failure. */
  run(program: PartProgram): void {
    const c = this.control, ctl = c.ctl;
    c.parts = this.threads;
    Atomics.store(ctl, CTL.count, 0);
    Atomics.store(ctl, CTL.abort, 0);
    Atomics.store(ctl, CTL.messageLength, 0);
    Atomics.store(ctl, CTL.busy, this.workers.length);
    for (const w of this.workers) w.postMessage(program);
    // Stall watch: the heartbeat moves with every op any part finishes.
    let beat = Atomics.load(ctl, CTL.heartbeat), seen = Date.now();
    const watch = () => {
      const now = Atomics.load(ctl, CTL.heartbeat);
      if (now !== beat) { beat = now; seen = Date.now(); return; }
      if (Date.now() - seen > WORKER_STALL_MS) this.fail(`host workers made no progress for ${WORKER_STALL_MS / 1000} s`);
    };
    let own: unknown;
    try {
      runPart(program, 0, () => barrier(c, watch), () => Atomics.add(ctl, CTL.heartbeat, 1));
    } catch (e) {
      if (e instanceof HostThreadError) throw e;
      if (!(e instanceof Error && e.name === 'HostRunAborted')) { own = e; reportFailure(c, `main thread: ${e instanceof Error ? e.message : String(e)}`); }
    }
    // Wait for the workers to finish (or give up) before the buffers are reused.
    for (let busy = Atomics.load(ctl, CTL.busy); busy > 0; busy = Atomics.load(ctl, CTL.busy)) {
      Atomics.wait(ctl, CTL.busy, busy, WAIT_SLICE_MS);
      watch();
    }
    if (own) throw own;
    if (Atomics.load(ctl, CTL.abort)) throw new HostThreadError(failureMessage(c));
  }
}

let pool: HostPool | undefined;

/** Runs `program` on `program.parts` threads (the pool is started, or restarted, as needed). */
export function runOnThreads(program: PartProgram): void {
  if (pool && (pool.broken || pool.threads !== program.parts)) { pool.terminate(); pool = undefined; }
  pool ??= new HostPool(program.parts);
  pool.run(program);
}

/** Stops the pool's workers (they never keep the process alive; this frees them early). */
export function stopHostThreads(): void {
  pool?.terminate();
  pool = undefined;
}
