/**
 * State batches in shared memory (SharedArrayBuffers), which the parallel host kernel's threads work on
 * together. V8 collects garbage SharedArrayBuffers late (unlike plain ArrayBuffers, a process allocated
 * ~450 MB of dead ones before its first collection in our measurement), so before allocating new ones we
 * collect once the shared bytes allocated since the last collection would pass max(32 MiB, the new
 * request): dead states of earlier runs are then freed before new ones are made, so what is dead but
 * not yet freed stays within the call overhead the memory guard counts (CALL_OVERHEAD_BYTES) or one
 * request, whichever is more.
 */
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import { HostStates } from './host-kernel';

/** Shared bytes that may be allocated between two forced collections, at least. */
export const SHARED_RECLAIM_BYTES = 32 * 2 ** 20;

let sinceCollect = 0;
let collect: (() => void) | undefined;

/** A full garbage collection (global.gc, exposed on first use when the process was not started with --expose-gc). */
function collectGarbage(): void {
  if (!collect) {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (existing) collect = existing;
    else {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    }
  }
  collect();
}

/** Collects first when enough shared memory was allocated since the last collection (see the file comment). */
function reserveShared(bytes: number): void {
  if (sinceCollect > 0 && sinceCollect + bytes > Math.max(SHARED_RECLAIM_BYTES, bytes)) {
    collectGarbage();
    sinceCollect = 0;
  }
  sinceCollect += bytes;
}

/** `rows` states of n qubits in shared memory, all zero (no amplitude set). */
export function sharedStates(nQubits: number, rows: number): HostStates {
  const n = rows * 2 ** nQubits;
  reserveShared(16 * n);
  return { re: new Float64Array(new SharedArrayBuffer(8 * n)), im: new Float64Array(new SharedArrayBuffer(8 * n)), rows, nQubits };
}

/** `rows` copies of |0…0⟩ in shared memory. */
export function sharedZero(nQubits: number, rows: number): HostStates {
  const s = sharedStates(nQubits, rows), dim = 2 ** nQubits;
  for (let r = 0; r < rows; r++) s.re[r * dim] = 1;
  return s;
}

/** A copy of `s` in shared memory. */
export function sharedClone(s: HostStates): HostStates {
  const out = sharedStates(s.nQubits, s.rows);
  out.re.set(s.re);
  out.im.set(s.im);
  return out;
}
