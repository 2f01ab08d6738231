/**
 * Early stopping bookkeeping (Keras semantics: stop once `patience` epochs in a row brought no
 * improvement larger than `minDelta`). Its state is plain numbers so a checkpoint can carry it.
 */
import type { EarlyStoppingOptions } from './options';
import type { EpochRecord } from './metrics';

/** Serialisable early-stopping state. */
export interface EarlyStoppingState {
  /** Best monitored value so far (null before the first epoch). */
  best: number | null;
  /** Epoch that reached `best` (0 before the first epoch). */
  bestEpoch: number;
  /** Epochs since the last improvement. */
  wait: number;
  /** True once the patience ran out: the run is finished. */
  stopped: boolean;
}

/** Tracks the monitored metric over epochs. */
export class EarlyStopping {
  state: EarlyStoppingState = { best: null, bestEpoch: 0, wait: 0, stopped: false };

  constructor(readonly config: Required<EarlyStoppingOptions>) {}

  /** Accuracy-like metrics improve upwards, losses downwards. */
  private get maximise(): boolean {
    return this.config.monitor.endsWith('accuracy');
  }

  /** Feeds one epoch; returns whether it improved on the best so far (then the caller keeps its weights). */
  update(record: EpochRecord): boolean {
    const value = record[this.config.monitor];
    if (value == null) throw new Error(`earlyStopping.monitor: '${this.config.monitor}' is not available (no validation data?)`);
    const s = this.state;
    const improved = Number.isFinite(value) && (s.best == null ||
      (this.maximise ? value > s.best + this.config.minDelta : value < s.best - this.config.minDelta));
    if (improved) {
      s.best = value;
      s.bestEpoch = record.epoch;
      s.wait = 0;
    } else {
      s.wait += 1;
      if (s.wait >= this.config.patience) s.stopped = true;
    }
    return improved;
  }
}
