/**
 * Learning-rate schedules by epoch: every parameter group's learning rate is multiplied by `lrFactor`
 * for the whole of an epoch. The factor depends only on the epoch number and the history of the epochs
 * before it (which a checkpoint stores), so a resumed run gets the same rates as an uninterrupted one.
 */
import { ArgumentError } from '../util/errors';
import type { EpochRecord } from './epoch-record';

/**
 * A schedule: 'constant' (the default); 'exponential' (× `decay` after every epoch); 'step' (× `factor`
 * every `every` epochs); 'plateau' (Keras's ReduceLROnPlateau, cooldown 0: × `factor` once `patience`
 * epochs in a row bring no improvement of `monitor`, the count then starting afresh). `minFactor` bounds
 * the factor from below (default 0: none).
 */
export type LrSchedule =
  | { kind: 'constant' }
  | { kind: 'exponential'; decay: number; minFactor?: number }
  | { kind: 'step'; every: number; factor: number; minFactor?: number }
  | { kind: 'plateau'; monitor: 'val_accuracy' | 'val_loss'; patience: number; factor: number; minFactor?: number };

/** The schedule kinds. */
export const LR_SCHEDULE_KINDS = Object.freeze(['constant', 'exponential', 'step', 'plateau'] as const);

/** The default schedule (a constant learning rate). */
export const CONSTANT_LR: LrSchedule = Object.freeze({ kind: 'constant' });

const KEYS: Record<LrSchedule['kind'], readonly string[]> = {
  constant: ['kind'],
  exponential: ['kind', 'decay', 'minFactor'],
  step: ['kind', 'every', 'factor', 'minFactor'],
  plateau: ['kind', 'monitor', 'patience', 'factor', 'minFactor'],
};

/** Checks a schedule (undefined: constant), throwing an ArgumentError that names `name.field`, what was expected and what came. */
export function resolveLrSchedule(value: unknown, name = 'lrSchedule'): LrSchedule {
  if (value === undefined) return CONSTANT_LR;
  if (value === null || typeof value !== 'object') throw new ArgumentError(name, `an object { kind: ${LR_SCHEDULE_KINDS.join(' | ')}, … }`, String(value));
  const v = value as Record<string, unknown>;
  const kind = v.kind as LrSchedule['kind'];
  if (!LR_SCHEDULE_KINDS.includes(kind)) throw new ArgumentError(`${name}.kind`, `one of ${LR_SCHEDULE_KINDS.join(', ')}`, JSON.stringify(v.kind));
  for (const k of Object.keys(v)) {
    if (!KEYS[kind].includes(k)) throw new ArgumentError(name, `only the fields ${KEYS[kind].join(', ')} for kind '${kind}'`, `field '${k}'`);
  }
  const fraction = (k: string, open: boolean): number => {
    const x = v[k];
    if (typeof x !== 'number' || !(x < 1) || !(open ? x > 0 : x >= 0)) throw new ArgumentError(`${name}.${k}`, `a number in ${open ? '(0' : '[0'}, 1)`, String(x));
    return x;
  };
  const count = (k: string): number => {
    const x = v[k];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 1) throw new ArgumentError(`${name}.${k}`, 'an integer ≥ 1', String(x));
    return x;
  };
  const min = v.minFactor === undefined ? {} : { minFactor: fraction('minFactor', false) };
  switch (kind) {
    case 'constant':
      return CONSTANT_LR;
    case 'exponential':
      return { kind, decay: fraction('decay', true), ...min };
    case 'step':
      return { kind, every: count('every'), factor: fraction('factor', true), ...min };
    case 'plateau': {
      if (v.monitor !== 'val_accuracy' && v.monitor !== 'val_loss') throw new ArgumentError(`${name}.monitor`, "'val_accuracy' or 'val_loss'", JSON.stringify(v.monitor));
      return { kind, monitor: v.monitor, patience: count('patience'), factor: fraction('factor', true), ...min };
    }
  }
}

/** How many times a plateau schedule has reduced the rate after the epochs of `history` (replayed in order). */
function plateauReductions(s: Extract<LrSchedule, { kind: 'plateau' }>, history: readonly EpochRecord[]): number {
  let best: number | null = null;
  let wait = 0;
  let reductions = 0;
  for (const record of history) {
    const value = record[s.monitor];
    if (value == null) throw new ArgumentError('lrSchedule.monitor', `'${s.monitor}' in every epoch record (validation data)`, `none at epoch ${record.epoch}`);
    const improved = Number.isFinite(value) && (best === null || (s.monitor === 'val_accuracy' ? value > best : value < best));
    if (improved) {
      best = value;
      wait = 0;
    } else if (++wait >= s.patience) {
      reductions += 1;
      wait = 0;
    }
  }
  return reductions;
}

/**
 * The factor on every learning rate during `epoch` (1-based), given the records of the epochs before it
 * (`history[i]` is epoch i + 1; only 'plateau' reads them). 1 for the first epoch of every schedule.
 */
export function lrFactor(schedule: LrSchedule, epoch: number, history: readonly EpochRecord[] = []): number {
  if (!Number.isInteger(epoch) || epoch < 1) throw new ArgumentError('epoch', 'an integer ≥ 1', String(epoch));
  const floor = (f: number): number => Math.max(f, schedule.kind === 'constant' ? 0 : schedule.minFactor ?? 0);
  switch (schedule.kind) {
    case 'constant':
      return 1;
    case 'exponential':
      return floor(Math.pow(schedule.decay, epoch - 1));
    case 'step':
      return floor(Math.pow(schedule.factor, Math.floor((epoch - 1) / schedule.every)));
    case 'plateau': {
      if (history.length < epoch - 1) throw new ArgumentError('history', `the ${epoch - 1} epoch record(s) before epoch ${epoch}`, `${history.length}`);
      return floor(Math.pow(schedule.factor, plateauReductions(schedule, history.slice(0, epoch - 1))));
    }
  }
}

/** One line, e.g. 'exponential decay ×0.8 per epoch' (for descriptions and tables). */
export function describeLrSchedule(s: LrSchedule): string {
  const min = s.kind !== 'constant' && s.minFactor ? `, at least ×${s.minFactor}` : '';
  switch (s.kind) {
    case 'constant': return 'constant';
    case 'exponential': return `×${s.decay} per epoch${min}`;
    case 'step': return `×${s.factor} every ${s.every} epoch(s)${min}`;
    case 'plateau': return `×${s.factor} after ${s.patience} epoch(s) without a better ${s.monitor}${min}`;
  }
}

/** Whether the schedule changes nothing (then run configs and results leave it out, so older ones keep their hashes). */
export function isConstantLr(s: LrSchedule | null | undefined): boolean {
  return s == null || s.kind === 'constant';
}
