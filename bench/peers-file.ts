/**
 * bench/results/peers.json as `npm run bench -- peers` writes it, and how a run's cases merge into it.
 * Pure functions (no timing, no tfjs), so test/bench-peers-file.test.ts checks the merge without a benchmark run.
 *
 * Merging is the default: a run replaces the cases it measured and keeps every other case of the file, each
 * with its own date, load and rounds, so a run over a narrower range (or one stopped early) never loses a row
 * another run measured. `--replace` starts the file afresh from this run's cases (e.g. after a speed change
 * that makes every earlier row stale).
 */

/** The run-wide fields of peers.json (when, where, with which peers); other fields are carried along as they are. */
export interface PeersHeader {
  workload: 'peers';
  date: string;
  machine: { before: { loadavg1: number; cores: number }; after: { loadavg1: number; cores: number } };
  rounds: number;
  [field: string]: unknown;
}

/** One measured case: its contenders' times and ratios, with the 1-minute load, rounds and date of its own measurement. */
export interface SavedPeerCase {
  case: string;
  n: number;
  batch: number;
  contenders: Record<string, unknown>;
  ratios?: Record<string, unknown>;
  load: number;
  /** Absent in files written before cases carried them: the file's `rounds` / `date` then apply. */
  rounds?: number;
  date?: string;
  /** false when the case ran without the untimed first round (`--warmup=0`). */
  warmup?: boolean;
}

/** A partial run (`minQubits > 4`, or the MNIST case alone) recorded under an earlier full run's header. */
export interface PeersUpdate {
  date: string;
  cases: string[];
  machine: PeersHeader['machine'];
  rounds: number;
}

/** bench/results/peers.json. */
export type PeersFile = PeersHeader & { cases: SavedPeerCase[]; updated?: PeersUpdate; epoch?: unknown };

/** This run's part of the file: its header, the cases it has measured so far, and whether it ran only some cases. */
export interface PeersRun {
  header: PeersHeader;
  cases: SavedPeerCase[];
  partial: boolean;
}

/** Table order: the MNIST workload first, then the scaling cases by batch, then by qubits (names break ties). */
export function peerCaseOrder(cases: readonly SavedPeerCase[]): SavedPeerCase[] {
  const rank = (c: SavedPeerCase): [number, number, number] => (c.case.startsWith('scaling') ? [1, c.batch, c.n] : [0, 0, 0]);
  return [...cases].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || a.case.localeCompare(b.case);
  });
}

/**
 * The file after `run`: its cases replace the same-named cases of `previous`, the others stay (unless
 * `replace`). A full run (or any run with `replace`, or with no earlier file) writes its own header; a partial
 * run keeps the earlier header and records itself in `updated`. The earlier epoch case stays until it runs again.
 */
export function mergePeersFile(previous: PeersFile | undefined, run: PeersRun, replace = false): PeersFile {
  const measured = new Set(run.cases.map((c) => c.case));
  const kept = replace || !previous ? [] : previous.cases.filter((c) => !measured.has(c.case));
  const cases = peerCaseOrder([...kept, ...run.cases]);
  const epoch = previous?.epoch !== undefined ? { epoch: previous.epoch } : {};
  if (run.partial && previous && !replace) {
    const updated: PeersUpdate = { date: run.header.date, cases: run.cases.map((c) => c.case), machine: run.header.machine, rounds: run.header.rounds };
    return { ...previous, updated, cases };
  }
  return { ...run.header, cases, ...epoch };
}

/** One contender's part of a case in progress: its agreement with qkc (checked once) and its times so far, in round order. */
export interface ContenderProgress {
  agreement?: { out: number; grad: number };
  samples: { forward: number[]; forward_grad: number[] };
}

/**
 * A case's agreement checks and finished rounds (`npm run bench -- peers … --resume`), saved after the checks and every round in
 * bench/results/peers-progress.json, so a case whose rounds take longer than a session (24 × 64: ~40 min a round)
 * is measured over several runs: a resumed run checks no agreement again and times only the rounds left.
 */
export interface CaseProgress {
  case: string;
  /** Timed rounds finished (every contender's samples hold this many, unless it failed). */
  rounds: number;
  contenders: Record<string, ContenderProgress>;
  /** 1-minute load and date at the end of each finished round. */
  loads: number[];
  dates: string[];
}

/** The saved progress of `caseName` in `file`'s entries, when its contenders are the ones this run times (else start afresh). */
export function progressFor(entries: readonly CaseProgress[], caseName: string, contenders: readonly string[]): CaseProgress | undefined {
  const p = entries.find((e) => e.case === caseName);
  if (!p) return undefined;
  const saved = Object.keys(p.contenders).sort(), wanted = [...contenders].sort();
  return saved.length === wanted.length && saved.every((k, i) => k === wanted[i]) ? p : undefined;
}

/** `entries` with `progress` in place of its case's entry, or without that entry when `progress` is undefined (the case finished). */
export function withProgress(entries: readonly CaseProgress[], caseName: string, progress: CaseProgress | undefined): CaseProgress[] {
  const rest = entries.filter((e) => e.case !== caseName);
  return progress ? [...rest, progress] : rest;
}
