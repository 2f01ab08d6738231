/**
 * What every executor of planned runs shares: the events it reports while runs execute, the outcome of
 * each run, and the executor interface the suite runner drives (local worker processes, a Redis queue).
 */
import type { RunResult } from '../results';
import type { RunSpec } from '../run-spec';

/** Something that happened to one run (`id` is the RunSpec's id; `worker` names a process, e.g. host-pid). */
export type RunEvent =
  | { type: 'started'; id: string; worker: string; attempt: number }
  | { type: 'epoch'; id: string; worker: string; epoch: number; epochs: number }
  | { type: 'done'; id: string; worker: string; result: RunResult }
  | { type: 'retry'; id: string; attempt: number; error: string }
  | { type: 'failed'; id: string; attempts: number; error: string };

/** How one run ended. */
export type RunOutcome =
  | { spec: RunSpec; status: 'done'; result: RunResult }
  | { spec: RunSpec; status: 'failed'; error: string; attempts: number };

/** Runs planned specs somewhere and reports on them; resolves once every run is done or has failed for good. */
export interface RunExecutor {
  /** One line saying where the runs execute (printed before they start). */
  readonly where: string;
  run(specs: readonly RunSpec[], onEvent: (e: RunEvent) => void): Promise<RunOutcome[]>;
}

/** How many times a run is tried before it is reported failed (the rule: three times the same way). */
export const RUN_ATTEMPTS = 3;

/** The first line of an error's message (what a log line or a job's failedReason shows). */
export function errorLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.trim().split('\n')[0] || String(e);
}
