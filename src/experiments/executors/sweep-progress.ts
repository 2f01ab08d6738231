/**
 * Progress of a sweep of runs, whichever executor runs them: one line per run that starts, finishes,
 * is retried or fails, and every `everyS` seconds (on epoch events) a status line with the counts
 * (done / running / failed), what each worker is on, and an ETA from the epochs finished so far.
 */
import type { RunSpec } from '../run-spec';
import type { RunEvent } from './events';

interface RunState {
  spec: RunSpec;
  state: 'waiting' | 'running' | 'done' | 'failed';
  worker: string | null;
  /** Epochs finished (as far as reported). */
  epochs: number;
}

/** Seconds as "1h 02m", "3m 05s" or "42s". */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const t = Math.max(0, Math.round(s));
  const h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), sec = t % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** Follows the events of one sweep and writes its progress lines. */
export class SweepProgress {
  private readonly runs = new Map<string, RunState>();
  private readonly t0: number;
  private lastStatus = -Infinity;
  /** Epochs already finished when first seen (resumed runs): not counted in the rate. */
  private epochsBefore = 0;

  constructor(specs: readonly RunSpec[], private readonly log: (line: string) => void,
    private readonly everyS = 10, private readonly now: () => number = () => performance.now() / 1000) {
    for (const spec of specs) this.runs.set(spec.id, { spec, state: 'waiting', worker: null, epochs: 0 });
    this.t0 = now();
  }

  /** Counts of runs by state. */
  counts(): { done: number; running: number; failed: number; waiting: number; total: number } {
    const c = { done: 0, running: 0, failed: 0, waiting: 0, total: this.runs.size };
    for (const r of this.runs.values()) c[r.state]++;
    return c;
  }

  /** Seconds until every run is finished, from the rate of epochs finished since the sweep started (NaN before the first). */
  etaSeconds(): number {
    let total = 0, finished = 0;
    for (const r of this.runs.values()) {
      total += r.spec.training.epochs;
      finished += r.state === 'done' || r.state === 'failed' ? r.spec.training.epochs : r.epochs;
    }
    const rate = (finished - this.epochsBefore) / (this.now() - this.t0);
    return rate > 0 ? (total - finished) / rate : NaN;
  }

  /** The status line: counts, each worker's run and epoch, ETA. */
  status(): string {
    const c = this.counts();
    const workers = [...this.runs.values()].filter((r) => r.state === 'running')
      .map((r) => `${r.worker ?? '?'}: ${r.spec.model} s${r.spec.seed} epoch ${r.epochs}/${r.spec.training.epochs}`);
    const eta = c.done + c.failed === c.total ? 'finished' : `ETA ${formatDuration(this.etaSeconds())}`;
    return `sweep: ${c.done}/${c.total} done, ${c.running} running, ${c.failed} failed; ${eta}${workers.length ? ` | ${workers.join('; ')}` : ''}`;
  }

  /** Takes one executor event; logs what changed. */
  handle(e: RunEvent): void {
    const r = this.runs.get(e.id);
    if (!r) return;
    const c = this.counts();
    const pos = `[${c.done + c.failed + (e.type === 'done' || e.type === 'failed' ? 1 : 0)}/${c.total}]`;
    const what = `${r.spec.data.name} ${r.spec.model} seed ${r.spec.seed}`;
    switch (e.type) {
      case 'started':
        r.state = 'running';
        r.worker = e.worker;
        this.log(`${what}: started on ${e.worker}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`);
        break;
      case 'epoch':
        if (r.state !== 'running') { r.state = 'running'; r.worker = e.worker; }
        if (r.epochs === 0 && e.epoch > 1) this.epochsBefore += e.epoch - 1; // resumed from a checkpoint
        r.worker = e.worker;
        r.epochs = e.epoch;
        if (this.now() - this.lastStatus >= this.everyS) {
          this.lastStatus = this.now();
          this.log(this.status());
        }
        break;
      case 'done': {
        r.state = 'done';
        r.epochs = r.spec.training.epochs;
        const res = e.result;
        this.log(`${pos} ${what}: test acc ${res.final.testAccuracy.toFixed(4)}, ${res.timing.meanEpochTimeS.toFixed(1)} s/epoch, ` +
          `params ${res.parameters.quantum}q + ${res.parameters.classical}c (${e.worker})`);
        break;
      }
      case 'retry':
        r.state = 'waiting';
        r.epochs = 0;
        this.log(`${what}: attempt ${e.attempt - 1} failed (${e.error}); retrying`);
        break;
      case 'failed':
        r.state = 'failed';
        this.log(`${pos} ${what}: FAILED after ${e.attempts} attempt(s): ${e.error}`);
        break;
    }
  }
}
