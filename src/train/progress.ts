/**
 * Progress output. On a terminal: a cli-progress bar on stderr with rate (samples/s) and ETA, either one
 * per epoch that leaves a summary line per epoch (`qkc train`), or one line for a whole run with the epoch
 * it is in (`qkc reproduce`: one line per run). Elsewhere (notebooks, pipes, CI logs): only the compact
 * per-epoch lines, since carriage-return redraws turn into thousands of lines there.
 */
import { Format, SingleBar, type Options as BarOptions, type Params as BarParams } from 'cli-progress';
import type { EpochRecord } from './epoch-record';
import type { ProgressScope } from './options';

/** Receives the trainer's progress events. */
export interface ProgressReporter {
  /** A line of its own (resume notes, final summary). */
  note(text: string): void;
  epochStart(epoch: number, epochs: number, samples: number): void;
  /** `done` samples of the epoch are finished; loss/accuracy are the epoch's running means. */
  batch(done: number, loss: number, accuracy: number): void;
  epochEnd(record: EpochRecord, epochs: number): void;
  /** The run is over (finished, stopped or failed): release the terminal line. */
  finish(): void;
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
  private readonly prefix: string;
  constructor(private readonly out: NodeJS.WritableStream, style: ProgressStyle = {}) {
    this.prefix = style.label ? `${style.label} ` : '';
  }
  note(text: string): void {
    this.out.write(this.prefix + text + '\n');
  }
  epochStart(_epoch: number, _epochs: number, samples: number): void {
    this.samples = samples;
  }
  batch(): void {
    // Lines mode prints per epoch only.
  }
  epochEnd(record: EpochRecord, epochs: number): void {
    this.out.write(this.prefix + formatEpochLine(record, epochs, this.samples) + '\n');
  }
  finish(): void {
    // Nothing is left open between lines.
  }
}

/** How a reporter labels and scopes its output. */
export interface ProgressStyle {
  /** Default 'epoch'. */
  scope?: ProgressScope;
  /** Printed before every line, e.g. '[3/36] mnist hybrid-small s0'. */
  label?: string;
}

/** A cli-progress bar for terminals, redrawn at most ten times a second; see ProgressScope. */
export class BarProgress implements ProgressReporter {
  private readonly bar: SingleBar;
  private readonly scope: ProgressScope;
  private readonly prefix: string;
  private epoch = 0;
  private epochs = 0;
  private samples = 0;
  private startValue = 0;
  private loss = 0;
  private accuracy = 0;

  constructor(private readonly out: NodeJS.WritableStream, style: ProgressStyle = {}) {
    this.scope = style.scope ?? 'epoch';
    this.prefix = style.label ? `${style.label} ` : '';
    this.bar = new SingleBar({
      stream: out, format: (o, p) => this.render(o, p), fps: 10, etaBuffer: 50, barsize: 24,
      clearOnComplete: true, hideCursor: false, noTTYOutput: true, notTTYSchedule: 60000,
    });
  }

  /** The bar line: label, epoch, bar, percentage, samples, rate, ETA, running loss and accuracy. */
  private render(options: BarOptions, p: BarParams): string {
    const seconds = (Date.now() - p.startTime) / 1000;
    const rate = seconds > 0 ? (p.value - this.startValue) / seconds : 0;
    const eta = typeof p.eta === 'number' && p.value > this.startValue ? Format.TimeFormat(p.eta, options, 1) : '?';
    const count = this.scope === 'run' ? '' : ` ${p.value}/${p.total}`;
    return `${this.prefix}epoch ${this.epoch}/${this.epochs} [${Format.BarFormat(p.progress, options)}] ${(100 * p.progress).toFixed(0).padStart(3)}%${count}` +
      `  ${rate.toFixed(1)} samples/s  ETA ${eta}` + (p.value > this.startValue ? `  loss ${this.loss.toFixed(4)} acc ${this.accuracy.toFixed(4)}` : '');
  }

  /** Clears the bar's line, if drawn, so that a line of text can take its place. */
  private clear(): void {
    this.bar.stop();
  }

  note(text: string): void {
    this.clear();
    this.out.write(this.prefix + text + '\n');
  }

  epochStart(epoch: number, epochs: number, samples: number): void {
    this.epoch = epoch;
    this.epochs = epochs;
    this.samples = samples;
    if (this.scope === 'epoch') {
      this.startValue = 0;
      this.bar.start(samples, 0);
    } else if (!this.bar.isActive) {
      // The first epoch of this invocation (later ones when resumed): rate and ETA count from here.
      this.startValue = (epoch - 1) * samples;
      this.bar.start(epochs * samples, this.startValue);
    }
  }

  batch(done: number, loss: number, accuracy: number): void {
    this.loss = loss;
    this.accuracy = accuracy;
    this.bar.update(this.scope === 'epoch' ? done : (this.epoch - 1) * this.samples + done);
  }

  epochEnd(record: EpochRecord, epochs: number): void {
    if (this.scope === 'run') return;
    this.clear();
    this.out.write(this.prefix + formatEpochLine(record, epochs, this.samples) + '\n');
  }

  finish(): void {
    this.clear();
  }
}

/** Silent reporter. */
export class NoProgress implements ProgressReporter {
  note(): void {}
  epochStart(): void {}
  batch(): void {}
  epochEnd(): void {}
  finish(): void {}
}

/** Picks the reporter for a `progress` option value, optional stream and style. */
export function createProgress(mode: 'auto' | 'bar' | 'lines' | 'none', stream: NodeJS.WritableStream | null, style: ProgressStyle = {}): ProgressReporter {
  if (mode === 'none') return new NoProgress();
  const notebook = inNotebook();
  const tty = ((stream ?? process.stderr) as { isTTY?: boolean }).isTTY === true;
  const kind = mode === 'auto' ? (tty && !notebook ? 'bar' : 'lines') : mode;
  if (kind === 'bar') return new BarProgress(stream ?? process.stderr, style);
  return new LineProgress(stream ?? (notebook ? process.stdout : process.stderr), style);
}
