/**
 * The shared control block of the parallel host kernel's threads: a reusable barrier on Atomics, an
 * abort flag any part can raise, and a shared buffer that carries a failing part's message to the main
 * thread (which is blocked in Atomics.wait and cannot receive events while a run lasts).
 */

/** Slots of the control array (Int32Array over a SharedArrayBuffer). `ready + p`: worker p started (1) or failed to (−1). */
export const CTL = { count: 0, gen: 1, abort: 2, busy: 3, heartbeat: 4, messageLength: 5, ready: 8 } as const;

/** The control block as every thread sees it. */
export interface PoolControl { ctl: Int32Array; message: Uint8Array; parts: number }

/** Longest wait in one Atomics.wait call (ms): waits are sliced so aborts and stalls are noticed. */
export const WAIT_SLICE_MS = 200;

/** The error a part throws when another part aborted the run (not reported again). */
export function aborted(): Error {
  const e = new Error('the parallel host run was aborted by another thread');
  e.name = 'HostRunAborted';
  return e;
}

/** A new control block for `parts` threads. */
export function newControl(parts: number): PoolControl {
  return { ctl: new Int32Array(new SharedArrayBuffer(4 * (CTL.ready + parts))), message: new Uint8Array(new SharedArrayBuffer(8192)), parts };
}

/**
 * Waits until all parts arrive (sense by generation count). Throws `aborted()` when a part raised the
 * abort flag. `watch` runs between wait slices (the main thread checks for stalled workers there).
 */
export function barrier(c: PoolControl, watch?: () => void): void {
  const { ctl } = c;
  if (Atomics.load(ctl, CTL.abort)) throw aborted();
  const gen = Atomics.load(ctl, CTL.gen);
  if (Atomics.add(ctl, CTL.count, 1) === c.parts - 1) {
    Atomics.store(ctl, CTL.count, 0);
    Atomics.add(ctl, CTL.gen, 1);
    Atomics.notify(ctl, CTL.gen);
    return;
  }
  // A short spin first: with both threads on a core the other part usually arrives within microseconds.
  for (let i = 0; i < 2000; i++) if (Atomics.load(ctl, CTL.gen) !== gen) return;
  while (Atomics.load(ctl, CTL.gen) === gen) {
    Atomics.wait(ctl, CTL.gen, gen, WAIT_SLICE_MS);
    if (Atomics.load(ctl, CTL.abort)) throw aborted();
    watch?.();
  }
}

/** Raises the abort flag with `text` as the run's error message (the first report wins) and wakes everyone. */
export function reportFailure(c: PoolControl, text: string): void {
  if (Atomics.compareExchange(c.ctl, CTL.abort, 0, 1) === 0) {
    const bytes = new TextEncoder().encode(text).subarray(0, c.message.length);
    c.message.set(bytes);
    Atomics.store(c.ctl, CTL.messageLength, bytes.length);
  }
  Atomics.notify(c.ctl, CTL.gen);
  Atomics.notify(c.ctl, CTL.busy);
}

/** The message a failing part left (empty when none). */
export function failureMessage(c: PoolControl): string {
  const n = Atomics.load(c.ctl, CTL.messageLength);
  return new TextDecoder().decode(c.message.slice(0, n));
}
