/**
 * Prints the README's peer table (markdown) from bench/results/peers.json, written by `npm run bench -- peers`.
 * Run: npm run bench -- peers-report
 */
import * as fs from 'fs';
import * as path from 'path';

interface Stats { median: number; min: number; n: number }
interface SavedCase {
  case: string; n: number; batch: number; load: number;
  contenders: Record<string, { forward?: Stats; forward_grad?: Stats; error?: string; agreement?: { out: number; grad: number } }>;
  ratios: Record<string, { forward?: number; forward_grad?: number }>;
}

const PEERS = ['torchquantum', 'pennylane-default', 'pennylane-lightning', 'qiskit-ml', 'torch-compiled'];
const fmt = (ms: number | undefined) => (ms === undefined ? '—' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

/** One markdown row per case: qkc's best forward / forward+gradient, and each peer's time over it. */
export function peersMarkdown(cases: SavedCase[]): string {
  const head = `| case | qkc fwd / fwd+grad (ms) | ${PEERS.map((p) => `${p} ×`).join(' | ')} |`;
  const rows = cases.map((c) => {
    const best = (m: 'forward' | 'forward_grad') => Math.min(...['qkc default', 'qkc adjoint'].map((k) => c.contenders[k]?.[m]?.median ?? Infinity));
    const cells = PEERS.map((p) => {
      const r = c.ratios[p];
      if (!r) return c.contenders[p]?.error?.startsWith('not run') ? 'not run' : c.contenders[p]?.error ? 'failed' : '—';
      return `${r.forward?.toFixed(1) ?? '—'} / ${r.forward_grad?.toFixed(1) ?? '—'}`;
    });
    return `| ${c.case} | ${fmt(best('forward'))} / ${fmt(best('forward_grad'))} | ${cells.join(' | ')} |`;
  });
  return [head, `|---|---:|${PEERS.map(() => '---:').join('|')}|`, ...rows].join('\n');
}

export async function main(): Promise<void> {
  const file = path.join(__dirname, 'results', 'peers.json');
  if (!fs.existsSync(file)) {
    console.log('peers-report: no bench/results/peers.json yet; run `npm run bench -- peers` first.');
    return;
  }
  const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  console.log(`Peers (${saved.date.slice(0, 10)}, ${saved.rounds} interleaved rounds, medians; load ${saved.machine.before.loadavg1} → ${saved.machine.after.loadavg1} on ${saved.machine.before.cores} cores).`);
  console.log('Each peer cell: its time over qkc\'s faster path (forward / forward + gradient); > 1 means qkc is faster.\n');
  console.log(peersMarkdown(saved.cases));
}
