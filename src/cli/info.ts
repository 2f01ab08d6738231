/** `qkc info`: which tfjs backend qkc runs on and why, plus versions. */
import { ready } from '../backend';
import { Circuit, DiffMethod, describeChoice, explainExecution, input, weight } from '../sim';
import { Command } from './command';

/** The benches' scaling circuit on n qubits: RY(πx) encoding, 2 layers of RY·RZ and a CNOT ring. */
function scalingCircuit(n: number): Circuit {
  const c = new Circuit(n);
  for (let q = 0; q < n; q++) c.ry(input(q, Math.PI), q);
  for (let l = 0; l < 2; l++) {
    for (let q = 0; q < n; q++) c.ry(weight(2 * (l * n + q)), q).rz(weight(2 * (l * n + q) + 1), q);
    for (let q = 0; q < n && n > 1; q++) c.cx(q, (q + 1) % n);
  }
  return c;
}

/**
 * A 4-qubit kernel as Qiskit transpiles it for a device (sx, rz(πx) data phases, cx) under gate noise
 * and read-out error: what noise-eval runs on a batch of 64 images × 49 patches.
 */
function deviceLikeLine(): string {
  const c = new Circuit(4);
  for (let q = 0; q < 4; q++) c.sx(q).rz(input(q, Math.PI), q).sx(q);
  for (let q = 0; q < 3; q++) c.cx(q, q + 1).rz(0.4, q + 1).sx(q + 1);
  const noise = { channels: [{ channel: 'depolarizing' as const, p: 0.01 }], readout: [0, 1, 2, 3].map(() => ({ p01: 0.02, p10: 0.03 })) };
  return `  device kernel (4 qubits, rz data, gate noise, batch ${64 * 49}) → ${describeChoice(explainExecution({ circuit: c, batch: 64 * 49, noise }))}`;
}

/** One line per qubit count and gradient method: the executor `explainExecution` picks, or the refusal. */
function executionLines(batch: number): string[] {
  const lines: string[] = [];
  for (const n of [4, 8, 12, 20, 26]) {
    for (const diffMethod of ['backprop', 'parameter-shift', 'adjoint'] as DiffMethod[]) {
      let text: string;
      try {
        text = describeChoice(explainExecution({ circuit: scalingCircuit(n), batch, diffMethod }));
      } catch (e) {
        text = `refused: ${(e as Error).message}`;
      }
      lines.push(`  ${String(n).padStart(2)} qubits, ${diffMethod.padEnd(15)} → ${text}`);
    }
  }
  return lines;
}

/** Prints the selected backend (and why faster ones were skipped), versions, and the execution paths chosen per size. */
export const infoCommand: Command = {
  name: 'info',
  summary: 'show the tfjs backend in use (QKC_BACKEND=node|wasm|cpu forces one), versions and the execution path per circuit size',
  options: {},
  async run() {
    const info = await ready();
    const pkg = require('../../package.json') as { version: string };
    const tfVersion = (require('@tensorflow/tfjs/package.json') as { version: string }).version;
    console.log(`qkc ${pkg.version}  node ${process.version}  tfjs ${tfVersion}`);
    console.log(`backend: ${info.choice} (tfjs backend '${info.tfBackend}')`);
    for (const note of info.notes) console.log(`  skipped: ${note}`);
    console.log('execution (explainExecution; RY(πx) encoding, 2 layers of RY·RZ and a CNOT ring, batch 64):');
    for (const line of executionLines(64)) console.log(line);
    console.log(deviceLikeLine());
  },
};
