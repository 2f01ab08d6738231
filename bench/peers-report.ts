/**
 * Prints the README's peer table (markdown) from bench/results/peers.json, written by `npm run bench -- peers`.
 * Run: npm run bench -- peers-report [--write-readme | --check] (README.md's blocks between its peers-table and
 * peers-epoch marker lines; test/bench-peers-readme.test.ts checks they match the file).
 */
import * as fs from 'fs';
import * as path from 'path';
import { peerCaseOrder } from './peers-file';
import { replaceBetweenMarkers } from '../src/figures';
import { writeFileAtomic } from '../src/util';
import { CLASSICAL_PART } from './classical-part';

interface Stats { median: number; min: number; n: number }
interface SavedCase {
  case: string; n: number; batch: number; load: number; date?: string; rounds?: number;
  contenders: Record<string, { forward?: Stats; forward_grad?: Stats; error?: string; agreement?: { out: number; grad: number } }>;
  ratios: Record<string, { forward?: number; forward_grad?: number }>;
}

const PEERS = ['torchquantum', 'pennylane-default', 'pennylane-lightning', 'qiskit-ml', 'torch-compiled'];
const fmt = (ms: number | undefined) => (ms === undefined ? '—' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

/** When a case was measured: its own date and rounds, or the file's (`run`) for cases saved before they carried them. */
const measured = (c: SavedCase, run: { date: string; rounds: number }) =>
  `${(c.date ?? run.date).slice(0, 16).replace('T', ' ')}, load ${c.load}, ${c.rounds ?? run.rounds} rounds`;

/** One markdown row per case: qkc's best forward / forward+gradient, each peer's time over it, and when the case was measured. */
export function peersMarkdown(cases: SavedCase[], run: { date: string; rounds: number }): string {
  const head = `| case | qkc fwd / fwd+grad (ms) | ${PEERS.map((p) => `${p} ×`).join(' | ')} | measured (UTC) |`;
  const rows = cases.map((c) => {
    const best = (m: 'forward' | 'forward_grad') => Math.min(...['qkc default', 'qkc adjoint'].map((k) => c.contenders[k]?.[m]?.median ?? Infinity));
    const cells = PEERS.map((p) => {
      const r = c.ratios[p];
      if (!r) return c.contenders[p]?.error?.startsWith('not run') ? 'not run' : c.contenders[p]?.error ? 'failed' : '—';
      return `${r.forward?.toFixed(1) ?? '—'} / ${r.forward_grad?.toFixed(1) ?? '—'}`;
    });
    return `| ${c.case} | ${fmt(best('forward'))} / ${fmt(best('forward_grad'))} | ${cells.join(' | ')} | ${measured(c, run)} |`;
  });
  return [head, `|---|---:|${PEERS.map(() => '---:').join('|')}|---|`, ...rows].join('\n');
}

interface Summary { median: number; min: number; max: number; n: number }
interface SavedEpoch {
  images: number; batchSize: number; rounds: number; timedImages?: number; scaledBy?: number; date: string; machine: { before: { loadavg1: number; cores: number }; after: { loadavg1: number }; rounds: number[] };
  contenders: Record<string, {
    secondsPerEpoch: Summary | null; cpuSecondsPerEpoch?: Summary | null; extrapolated?: { batches: number; batchSize?: number; rounds: number };
    agreement?: { out: number; grad: number }; error?: string;
  }>;
  ratios: Array<{ name: string; target?: string } & Partial<Summary>>;
  /** The same ratios by CPU time (files from before they were kept have none). */
  cpuRatios?: Array<{ name: string; target?: string } & Partial<Summary>>;
}

const range = (s: Partial<Summary>, digits: number) => `${s.median!.toFixed(digits)} (${s.min!.toFixed(digits)}–${s.max!.toFixed(digits)})`;

/** Whether a ratio's median meets its target ('≥ 10', '≤ 1.3'). */
function met(median: number, target: string): boolean {
  const [op, v] = target.split(' ');
  return op === '≥' ? median >= Number(v) : median <= Number(v);
}

/** The epoch workload as two markdown tables (seconds per contender; the ratios against the issue's targets), then the bound they set. */
export function epochMarkdown(e: SavedEpoch): string {
  const cpu = e.cpuRatios !== undefined;
  const times = Object.entries(e.contenders).map(([k, c]) => {
    const s = c.secondsPerEpoch, sc = c.cpuSecondsPerEpoch;
    const note = c.error ? `failed: ${c.error.slice(0, 80)}` : c.extrapolated
      ? `extrapolated from ${c.extrapolated.batches} batch(es) of ${c.extrapolated.batchSize ?? e.batchSize} images, timed in ${c.extrapolated.rounds} round(s)` : '';
    const agree = c.agreement ? `${c.agreement.out.toExponential(0)} / ${c.agreement.grad.toExponential(0)}` : '—';
    return `| ${k} | ${s ? range(s, 1) : '—'} |${cpu ? ` ${sc ? range(sc, 1) : '—'} |` : ''} ${agree} | ${note} |`;
  });
  const verdict = (r: Partial<Summary> & { target?: string }) => (r.target && r.median !== undefined ? (met(r.median, r.target) ? 'met' : 'not met') : '');
  const ratios = e.ratios.filter((r) => r.median !== undefined).map((r) => {
    const c = e.cpuRatios?.find((x) => x.name === r.name);
    const byCpu = cpu ? ` ${c?.median !== undefined ? range(c, 2) : '—'} |` : '';
    return `| ${r.name} | ${range(r, 2)} |${byCpu} ${r.target ?? '—'} | ${verdict(r)}${r.target && c ? ` (CPU: ${verdict(c)})` : ''} |`;
  });
  return [
    `| contender | s / epoch, median (min–max) |${cpu ? ' CPU s / epoch |' : ''} agreement with qkc: max abs Δ outputs / Δ gradients (relative) | note |`,
    `|---|---:|${cpu ? '---:|' : ''}---:|---|`, ...times, '',
    `| ratio (per round) | median (min–max) |${cpu ? ' by CPU time |' : ''} target | |`, `|---|---:|${cpu ? '---:|' : ''}---:|---|`, ...ratios,
    ...boundText(e),
  ].join('\n');
}

/**
 * What the ≥ 10× targets need, from the rounds in the file: the hybrid's epoch at most a tenth of the peer's, and
 * at least its classical part's (the hybrid with a free quantum layer): reachable only while peer / classical
 * part ≥ 10, and then the quantum layer may add at most peer/10 − classical part. Empty for files without the
 * classical part.
 */
function boundText(e: SavedEpoch): string[] {
  const part = `qkc ${CLASSICAL_PART}`, cp = e.contenders[part]?.secondsPerEpoch;
  if (!cp) return [];
  const ratio = (name: string, list = e.ratios) => list.find((r) => r.name === name && r.median !== undefined);
  const best = Math.min(...['qkc backprop', 'qkc adjoint'].map((k) => e.contenders[k]?.secondsPerEpoch?.median ?? Infinity));
  const lines = (['torchquantum', 'pennylane-default'] as const).flatMap((peer) => {
    const p = e.contenders[peer]?.secondsPerEpoch, r = ratio(`${peer} / ${part}`), rc = ratio(`${peer} / ${part}`, e.cpuRatios);
    if (!p || !r) return [];
    const room = p.median / 10 - cp.median;
    const cpuNote = rc ? `; by CPU time ${range(rc, 2)}` : '';
    return [`- ${peer} / qkc best ≥ 10 needs qkc's hybrid epoch ≤ ${(p.median / 10).toFixed(2)} s (a tenth of ${p.median.toFixed(1)} s). ` +
      `With the quantum layer free the hybrid's epoch is its classical part, ${cp.median.toFixed(2)} s: ${peer} / classical part is ` +
      `${range(r, 2)} per round${cpuNote}. ` + (r.median! >= 10
      ? `Reachable: the quantum layer may add at most ${room.toFixed(2)} s (${((100 * room) / cp.median).toFixed(0)} % of the classical part); it adds ${(best - cp.median).toFixed(2)} s now.`
      : `Out of reach even with a quantum layer that cost nothing, until the classical layers are ${(10 / r.median!).toFixed(2)}× faster.`)];
  });
  return lines.length ? ['', '**What the ≥ 10× targets need (generated from the same rounds):**', ...lines] : [];
}

/** The README's generated blocks: the scaling/MNIST table and the epoch tables, each between two marker lines. */
export const README_BLOCKS = ['peers-table', 'peers-epoch'] as const;

/** Marker lines of a README block written by `npm run bench -- peers-report --write-readme`. */
export function peersReadmeMarkers(name: (typeof README_BLOCKS)[number]): { begin: string; end: string } {
  return { begin: `<!-- ${name} begin: generated by \`npm run bench -- peers-report --write-readme\` from bench/results/peers.json; do not edit by hand -->`, end: `<!-- ${name} end -->` };
}

/** The content of a README block from the saved peers file (the epoch block is empty text without an epoch case). */
export function peersReadmeBlock(saved: { cases: SavedCase[]; date: string; rounds: number; epoch?: SavedEpoch }, name: (typeof README_BLOCKS)[number]): string {
  if (name === 'peers-table') return peersMarkdown(peerCaseOrder(saved.cases) as SavedCase[], saved);
  return saved.epoch ? epochMarkdown(saved.epoch) : 'No epoch case yet: run `npm run bench -- peers-epoch`.';
}

/** README.md with its peers blocks rewritten from `saved`. */
export function readmeWithPeers(readme: string, saved: Parameters<typeof peersReadmeBlock>[0]): string {
  return README_BLOCKS.reduce((text, name) => {
    const { begin, end } = peersReadmeMarkers(name);
    return replaceBetweenMarkers(text, begin, end, peersReadmeBlock(saved, name));
  }, readme);
}

/** Prints the tables; `--write-readme` rewrites README.md's blocks from them, `--check` exits 1 when those blocks are stale. */
export async function main(): Promise<void> {
  const file = path.join(__dirname, 'results', 'peers.json');
  const args = process.argv.slice(2), readmeFile = path.join(__dirname, '..', 'README.md');
  if (args.includes('--write-readme') || args.includes('--check')) {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    const readme = fs.readFileSync(readmeFile, 'utf8'), next = readmeWithPeers(readme, saved);
    if (next === readme) { console.log('README.md: the peers blocks are up to date'); return; }
    if (args.includes('--check')) { console.error('README.md: the peers blocks are stale; run `npm run bench -- peers-report --write-readme`'); process.exitCode = 1; return; }
    await writeFileAtomic(readmeFile, next);
    console.log('README.md: the peers blocks rewritten from bench/results/peers.json');
    return;
  }
  if (!fs.existsSync(file)) {
    console.log('peers-report: no bench/results/peers.json yet; run `npm run bench -- peers` first.');
    return;
  }
  const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  console.log(`Peers (${saved.date.slice(0, 10)}, ${saved.rounds} interleaved rounds, medians; load ${saved.machine.before.loadavg1} → ${saved.machine.after.loadavg1} on ${saved.machine.before.cores} cores).`);
  const u = saved.updated as { date: string; cases: string[]; rounds: number; machine: { before: { loadavg1: number }; after: { loadavg1: number } } } | undefined;
  if (u) console.log(`Re-run since (${u.date.slice(0, 10)}, ${u.rounds} interleaved rounds; load ${u.machine.before.loadavg1} → ${u.machine.after.loadavg1}): ${u.cases.join('; ')}.`);
  console.log('Each peer cell: its time over qkc\'s faster path (forward / forward + gradient); > 1 means qkc is faster. ' +
    'Runs merge into the file, so each row says when it was measured, the 1-minute load then and its rounds.\n');
  console.log(peersMarkdown(peerCaseOrder(saved.cases as SavedCase[]) as SavedCase[], saved));
  const e = saved.epoch as SavedEpoch | undefined;
  if (!e) {
    console.log('\nNo epoch case yet: run `npm run bench -- peers-epoch`.');
    return;
  }
  const timed = e.scaledBy && e.scaledBy > 1 ? `, each timed on the first ${e.timedImages!.toLocaleString('en-US')} and scaled ×${e.scaledBy.toFixed(2)}` : '';
  console.log(`\nOne epoch of hybrid-small on ${e.images.toLocaleString('en-US')} official MNIST training images (batch ${e.batchSize}, Adam${timed}; ${e.date.slice(0, 10)}, ` +
    `${e.rounds} interleaved rounds; load ${e.machine.before.loadavg1} → ${e.machine.after.loadavg1} on ${e.machine.before.cores} cores, per round ${e.machine.rounds.join(', ')}).\n`);
  console.log(epochMarkdown(e));
}
