/**
 * How flat a QCNN-study run's validation curve was when it ended (src/experiments/qcnn-study.ts, runs trained
 * with a patience): the mean validation accuracy of its last epochs against the window before, as a table.
 */

/** The fields of a QCNN run result (QcnnRunResult) this file reads. */
export interface ConvergenceInput {
  task: string; model: string; seed: number;
  history: ReadonlyArray<{ val_accuracy?: number | null }>;
  training: { epochs: number; patience?: number };
  selected: { epoch: number };
}

const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

/** Epochs of the windows whose mean validation accuracies the convergence table compares. */
export const CONVERGENCE_WINDOW = 10;

/** How flat a run's validation curve was when it ended (runs trained with a patience). */
export interface QcnnConvergence {
  task: string; model: string; seed: number;
  epochsRun: number; maxEpochs: number; patience: number; selectedEpoch: number;
  /** Mean validation accuracy over the last CONVERGENCE_WINDOW epochs, and over the window before (null: too few epochs). */
  lastWindow: number; previousWindow: number | null;
}

/** The convergence record of each run trained with a patience, in `runs`' order. */
export function qcnnConvergence(runs: readonly ConvergenceInput[]): QcnnConvergence[] {
  return runs.filter((r) => r.training.patience != null).map((r) => {
    const val = r.history.map((e) => e.val_accuracy ?? NaN);
    const w = CONVERGENCE_WINDOW;
    return {
      task: r.task, model: r.model, seed: r.seed, epochsRun: r.history.length, maxEpochs: r.training.epochs, patience: r.training.patience as number,
      selectedEpoch: r.selected.epoch, lastWindow: mean(val.slice(-w)), previousWindow: val.length >= 2 * w ? mean(val.slice(-2 * w, -w)) : null,
    };
  });
}

/** The convergence table: per run, epochs run, whether the patience stopped it, and the last two windows' mean validation accuracy. */
export function qcnnConvergenceMarkdown(rows: readonly QcnnConvergence[]): string {
  const pct = (v: number) => (100 * v).toFixed(2);
  const w = CONVERGENCE_WINDOW;
  const lines = [
    `| task | model | seed | epochs run (max) | stopped by patience | selected epoch | val accuracy %, mean of the last ${w} epochs | mean of the ${w} before | change (points) |`,
    '|---|---|---:|---|---|---:|---:|---:|---:|',
  ];
  for (const c of rows) {
    lines.push(`| ${c.task} | ${c.model} | ${c.seed} | ${c.epochsRun} (${c.maxEpochs}) | ${c.epochsRun < c.maxEpochs ? `yes (${c.patience} epochs without a better one)` : 'no: ran every epoch'} | ${c.selectedEpoch} | ` +
      `${pct(c.lastWindow)} | ${c.previousWindow == null ? '—' : pct(c.previousWindow)} | ${c.previousWindow == null ? '—' : (100 * (c.lastWindow - c.previousWindow)).toFixed(2)} |`);
  }
  return lines.join('\n');
}
