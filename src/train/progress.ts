/**
 * Progress output. On a terminal: a bar on stderr with rate (samples/s) and ETA, redrawn at most ten
 * times a second, leaving one summary line per epoch. Elsewhere (notebooks, pipes, CI logs): only the
 * compact per-epoch lines, since carriage-return redraws turn into thousands of lines there.
 */
import type { EpochRecord } from './metrics';

/** Receives the trainer's progress events. */
export interface ProgressReporter {
  /** A line of its own (resume notes, final summary). */
  note(text: string): void;
  epochStart(epoch: number, epochs: number, samples: number): void;
  /** `done` samples of the epoch are finished; loss/accuracy are the epoch's running means. */
  batch(done: number, loss: number, accuracy: number): void;
  epochEnd(record: EpochRecord, epochs: number): void;
}

/** True inside a Jupyter kernel (tslab), where stdout is the readable channel and redraws do not work. */
export function inNotebook(): boolean {
  return process.env.JPY_PARENT_PID != null || Object.keys(require.cache).some((k) => /[\\/]tslab[\\/]/.test(k));
}

function fmtDuration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s - 60 * m)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function fmtCount(n: number): string {
  return n < 1e5 ? String(n) : n.toExponential(2);
}

/** The compact one-line summary of an epoch. */
export function formatEpochLine(r: EpochRecord, epochs: number, samples: number): string {
  const parts = [`epoch ${r.epoch}/${epochs}`, `loss ${r.loss.toFixed(4)}`, `acc ${r.accuracy.toFixed(4)}`];
  if (r.val_loss != null) parts.push(`val_loss ${r.val_loss.toFixed(4)}`);
  if (r.val_accuracy != null) parts.push(`val_acc ${r.val_accuracy.toFixed(4)}`);
  const rate = r.epoch_time_s > 0 ? samples / r.epoch_time_s : Infinity;
  parts.push(`${fmtDuration(r.epoch_time_s)} (${rate.toFixed(0)} samples/s)`);
  if (r.circuit_executions > 0) parts.push(`circuits ${fmtCount(r.circuit_executions + r.val_circuit_executions)}`);
  return parts.join('  ');
}

/** One line per epoch, nothing in between. */
export class LineProgress implements ProgressReporter {
  private samples = 0;
  constructor(private readonly out: NodeJS.WritableStream) {}
  note(text: string): void {
    this.out.write(text + '\n');
  }
  epochStart(_epoch: number, _epochs: number, samples: number): void {
    this.samples = samples;
  }
  batch(): void {
    // Lines mode prints per epoch only.
  }
  epochEnd(record: EpochRecord, epochs: number): void {
    this.out.write(formatEpochLine(record, epochs, this.samples) + '\n');
  }
}

/** A redrawn bar for terminals. `now` is injectable so tests can drive time. */
export class BarProgress implements ProgressReporter {
  private epoch = 0;
  private epochs = 0;
  private samples = 0;
  private t0 = 0;
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(
    private readonly out: NodeJS.WritableStream & { columns?: number },
    private readonly now: () => number = () => performance.now(),
    private readonly minIntervalMs = 100,
  ) {}

  private clear(): void {
    if (this.drawn) this.out.write('\r\x1b[2K');
    this.drawn = false;
  }

  note(text: string): void {
    this.clear();
    this.out.write(text + '\n');
  }

  epochStart(epoch: number, epochs: number, samples: number): void {
    this.epoch = epoch;
    this.epochs = epochs;
    this.samples = samples;
    this.t0 = this.now();
    this.lastDraw = -Infinity;
  }

  /** The bar line for `done` samples after `elapsedS` seconds, fitted to the terminal width (exposed for tests). */
  render(done: number, elapsedS: number, loss: number, accuracy: number): string {
    const frac = this.samples > 0 ? Math.min(1, done / this.samples) : 1;
    const rate = elapsedS > 0 ? done / elapsedS : 0;
    const eta = rate > 0 ? (this.samples - done) / rate : Infinity;
    const head = `epoch ${this.epoch}/${this.epochs} `;
    const tail = ` ${(100 * frac).toFixed(0).padStart(3)}% ${done}/${this.samples}  ${rate.toFixed(1)} samples/s` +
      `  ETA ${fmtDuration(eta)}  loss ${loss.toFixed(4)} acc ${accuracy.toFixed(4)}`;
    // A line longer than the terminal wraps and breaks the carriage-return redraw, so fit it.
    const columns = this.out.columns ?? 120;
    const width = Math.max(5, Math.min(30, columns - 1 - head.length - tail.length - 2));
    const filled = Math.round(frac * width);
    const bar = '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? (frac < 1 ? '>' : '=') : '') + ' '.repeat(width - filled);
    return `${head}[${bar}]${tail}`.slice(0, Math.max(20, columns - 1));
  }

  batch(done: number, loss: number, accuracy: number): void {
    const t = this.now();
    if (t - this.lastDraw < this.minIntervalMs && done < this.samples) return;
    this.lastDraw = t;
    this.out.write('\r\x1b[2K' + this.render(done, (t - this.t0) / 1000, loss, accuracy));
    this.drawn = true;
  }

  epochEnd(record: EpochRecord, epochs: number): void {
    this.clear();
    this.out.write(formatEpochLine(record, epochs, this.samples) + '\n');
  }
}

/** Silent reporter. */
export class NoProgress implements ProgressReporter {
  note(): void {}
  epochStart(): void {}
  batch(): void {}
  epochEnd(): void {}
}

/** Picks the reporter for a `progress` option value and optional stream. */
export function createProgress(mode: 'auto' | 'bar' | 'lines' | 'none', stream: NodeJS.WritableStream | null): ProgressReporter {
  if (mode === 'none') return new NoProgress();
  const notebook = inNotebook();
  const tty = ((stream ?? process.stderr) as { isTTY?: boolean }).isTTY === true;
  const kind = mode === 'auto' ? (tty && !notebook ? 'bar' : 'lines') : mode;
  if (kind === 'bar') return new BarProgress(stream ?? process.stderr);
  return new LineProgress(stream ?? (notebook ? process.stdout : process.stderr));
}
