/**
 * Single-qubit gate fusion for forward host runs: consecutive one-qubit gates on a wire whose angles are
 * shared by all rows are multiplied into one 2×2 matrix (gates on other wires commute with them, so
 * only a gate touching the wire ends the run). Fewer passes over the state; the result is exact.
 * Gradient sweeps do not use it: they need every op and angle on its own.
 */
import { CMatrix } from '../gates';
import { TermOp } from '../gate-terms';
import { HostAngle } from './host-kernel';

type M2 = [number, number, number, number, number, number, number, number]; // re 00 01 10 11, im 00 01 10 11

/** The 2×2 matrix of a one-qubit term op at angle θ. */
function matrixAt(op: TermOp, theta: number): M2 {
  const c = op.angle === undefined ? 0 : Math.cos(op.freq * theta), s = op.angle === undefined ? 0 : Math.sin(op.freq * theta);
  const out = new Array<number>(8) as M2;
  for (let k = 0; k < 4; k++) {
    const i = k >> 1, j = k & 1;
    const part = (m: CMatrix | undefined, p: 're' | 'im') => (m ? m[p][i][j] : 0);
    out[k] = part(op.a0, 're') + c * part(op.a1, 're') + s * part(op.a2, 're');
    out[4 + k] = part(op.a0, 'im') + c * part(op.a1, 'im') + s * part(op.a2, 'im');
  }
  return out;
}

/** a·b for 2×2 complex matrices. */
function mul(a: M2, b: M2): M2 {
  const out = new Array<number>(8) as M2;
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      let re = 0, im = 0;
      for (let k = 0; k < 2; k++) {
        const ar = a[i * 2 + k], ai = a[4 + i * 2 + k], br = b[k * 2 + j], bi = b[4 + k * 2 + j];
        re += ar * br - ai * bi;
        im += ar * bi + ai * br;
      }
      out[i * 2 + j] = re;
      out[4 + i * 2 + j] = im;
    }
  }
  return out;
}

function fixedOp(wire: number, m: M2, source: TermOp['source']): TermOp {
  const a0: CMatrix = { re: [[m[0], m[1]], [m[2], m[3]]], im: [[m[4], m[5]], [m[6], m[7]]] };
  const diagonal = m[1] === 0 && m[2] === 0 && m[5] === 0 && m[6] === 0;
  return { wires: [wire], a0, freq: 0, diagonal, source };
}

/** Whether fuseSingleQubit folds `op` into its wire's pending matrix: a one-qubit op with one angle for all rows. */
function fusable(op: TermOp, raw: HostAngle | undefined): boolean {
  return op.wires.length === 1 && !(raw instanceof Float64Array && raw.length !== 1);
}

/** The ops (and angles) of a forward run with runs of shared-angle one-qubit gates fused. */
export function fuseSingleQubit(ops: readonly TermOp[], angles: readonly (HostAngle | undefined)[]): { ops: TermOp[]; angles: (HostAngle | undefined)[] } {
  const outOps: TermOp[] = [], outAngles: (HostAngle | undefined)[] = [];
  const pending = new Map<number, { m: M2; count: number; first: TermOp; firstAngle: HostAngle | undefined }>();
  const flush = (wire: number) => {
    const p = pending.get(wire);
    if (!p) return;
    pending.delete(wire);
    if (p.count === 1) { outOps.push(p.first); outAngles.push(p.firstAngle); } else { outOps.push(fixedOp(wire, p.m, p.first.source)); outAngles.push(undefined); }
  };
  for (let t = 0; t < ops.length; t++) {
    const op = ops[t];
    // One per-row value (batch 1) is shared by every row (row r uses v[r % 1]), so it fuses too.
    const raw = angles[t], a = raw instanceof Float64Array && raw.length === 1 ? raw[0] : raw;
    if (fusable(op, raw)) {
      const w = op.wires[0], m = matrixAt(op, (a as number | undefined) ?? 0), p = pending.get(w);
      if (p) { p.m = mul(m, p.m); p.count++; } else pending.set(w, { m, count: 1, first: op, firstAngle: a });
      continue;
    }
    // A run of consecutive ops that are not fusable: the pending gates on all its wires go first (each
    // commutes with the run's ops before the first that touches its wire), so the run stays together
    // (a CNOT ring then runs as one permutation, host-permute.ts).
    let end = t + 1;
    while (end < ops.length && !fusable(ops[end], angles[end])) end++;
    for (let u = t; u < end; u++) for (const w of ops[u].wires) flush(w);
    for (let u = t; u < end; u++) { outOps.push(ops[u]); outAngles.push(angles[u]); }
    t = end - 1;
  }
  for (const w of [...pending.keys()]) flush(w);
  return { ops: outOps, angles: outAngles };
}
