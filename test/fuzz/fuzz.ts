/**
 * The fuzzing suite's runner. Every generated input must end as a result (checked: no NaN) or as one of
 * qkc's own typed errors (QasmError, ArgumentError and its subclasses, UsageError, StateTooLargeError),
 * within a CPU-time bound. A plain `Error` thrown by qkc (message "<argument>: …", not yet a typed class) is
 * counted apart as "untyped"; anything else (RangeError/TypeError from the internals, a non-Error throw, NaN
 * in a result, an input over the time bound) is "other" and kept as a failure with the input that caused it.
 */
import { tf } from '../../src/backend';
import { Circuit, QasmError, StateTooLargeError, expval, fromQasm, input, sample, weight } from '../../src/sim';
import { QuantumConv2D } from '../../src/qkc';
import { QuantumPooling } from '../../src/pooling';
import { ArgumentError } from '../../src/util/errors';
import { UsageError } from '../../src/cli/args';
import { parseIdx } from '../../src/data';
import { Rng } from '../../src/util/random';
import { cpuMsSince } from '../helpers/hostile';
import { runCli } from '../helpers/run-cli';
import { QasmGenerator } from './qasm-gen';

/** One input that broke the rule, with what happened (kept as a regression case). */
export interface FuzzFailure { target: string; input: string; outcome: string }
/** Outcome counts of a fuzz run. */
export interface FuzzCounts {
  inputs: number; typed: number; untyped: number; results: number; other: number; ms: number;
  failures: FuzzFailure[];
  /** Messages of the untyped errors (first 200 characters), for converting them to typed ones. */
  untypedMessages: string[];
}

/** True for qkc's own typed errors. */
export function isTypedError(e: unknown): boolean {
  return e instanceof QasmError || e instanceof ArgumentError || e instanceof UsageError || e instanceof StateTooLargeError;
}

const emptyCounts = (): FuzzCounts => ({ inputs: 0, typed: 0, untyped: 0, results: 0, other: 0, ms: 0, failures: [], untypedMessages: [] });

/** Adds `b` into `a`. */
export function addCounts(a: FuzzCounts, b: FuzzCounts): FuzzCounts {
  return {
    inputs: a.inputs + b.inputs, typed: a.typed + b.typed, untyped: a.untyped + b.untyped, results: a.results + b.results,
    other: a.other + b.other, ms: a.ms + b.ms, failures: [...a.failures, ...b.failures], untypedMessages: [...a.untypedMessages, ...b.untypedMessages],
  };
}

/** Runs one input: `f` returns values to check for NaN (numbers, arrays, tensors) or throws. */
export function judge(counts: FuzzCounts, target: string, describe: () => string, f: () => unknown, boundMs: number): void {
  counts.inputs++;
  const start = process.cpuUsage();
  let outcome: string | null = null;
  try {
    const out = f();
    const bad = findNaN(out);
    if (bad) outcome = `result with ${bad}`;
    else counts.results++;
  } catch (e) {
    if (isTypedError(e)) counts.typed++;
    else if (e instanceof Error && e.constructor === Error && /^[^\s].*?: /.test(e.message)) { counts.untyped++; counts.untypedMessages.push(`${target}: ${e.message.slice(0, 200)}`); }
    else outcome = `${(e as Error)?.name ?? typeof e}: ${String((e as Error)?.message ?? e).slice(0, 300)}`;
  }
  const ms = cpuMsSince(start);
  if (outcome === null && ms > boundMs) outcome = `took ${ms.toFixed(0)} ms CPU (bound ${boundMs} ms)`;
  if (outcome !== null) {
    counts.other++;
    counts.failures.push({ target, input: describe().slice(0, 4000), outcome });
  }
}

/** Describes the first NaN in a result (numbers, arrays, typed arrays, tensors, circuits), or null. */
function findNaN(v: unknown, depth = 0): string | null {
  if (depth > 4 || v == null) return null;
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : null;
  if (v instanceof tf.Tensor) { const d = v.dataSync(); v.dispose(); return d.some((x) => Number.isNaN(x)) ? 'NaN in a tensor' : null; }
  if (v instanceof Circuit) return v.ops.some((o) => o.params.some((p) => typeof p === 'number' && !Number.isFinite(p))) ? 'a non-finite angle in the circuit' : null;
  if (ArrayBuffer.isView(v)) return Array.prototype.some.call(v, (x: number) => Number.isNaN(x)) ? 'NaN in an array' : null;
  if (Array.isArray(v)) { for (const x of v) { const b = findNaN(x, depth + 1); if (b) return b; } return null; }
  if (typeof v === 'object') { for (const x of Object.values(v as object)) { const b = findNaN(x, depth + 1); if (b) return b; } }
  return null;
}

/** `count` generated OpenQASM 2/3 programs through fromQasm. */
export function fuzzQasm(count: number, seed: number, boundMs = 1000): FuzzCounts {
  const counts = emptyCounts();
  const gen = new QasmGenerator(seed);
  const t = performance.now();
  for (let i = 0; i < count; i++) {
    const c = gen.next();
    judge(counts, `fromQasm (${c.kind})`, () => c.source, () => fromQasm(c.source), boundMs);
  }
  counts.ms = performance.now() - t;
  return counts;
}

const HOSTILE_NUMBERS: unknown[] = [0, 1, 2, -1, 1.5, NaN, Infinity, -Infinity, 1e308, -0, 2 ** 31, 2 ** 53, '1', '', null, undefined, true, [], {}, [1], 1e39, 3.4e38, 1e-320];

/** Generated hostile calls of Circuit, expval, sample, QuantumConv2D, QuantumPooling and the IDX reader. */
export function fuzzApi(count: number, seed: number, boundMs = 2000): FuzzCounts {
  const counts = emptyCounts();
  const rng = new Rng(seed);
  const int = (n: number) => Math.floor(rng.next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const num = (): unknown => (rng.next() < 0.5 ? pick(HOSTILE_NUMBERS) : rng.next() * 6 - 3);
  const smallCircuit = () => {
    const n = 1 + int(4), c = new Circuit(n);
    for (let k = 0; k < 1 + int(6); k++) {
      const q = int(n);
      const r = int(5);
      if (r === 0) c.ry(input(int(3), rng.next() * 2), q);
      else if (r === 1) c.rz(weight(int(3)), q);
      else if (r === 2 && n > 1) c.cx(q, (q + 1) % n);
      else c.rx(rng.next() * 7, q);
    }
    return c;
  };
  const observable = (n: number): unknown => pick([
    () => `${pick(['', '0.5*', '-2*', '1e39*', '1e308*', '1e999*', '3e38*', 'NaN*', '1e-400*'])}${pick(['Z', 'X', 'Y', 'I', 'Q'])}${int(n + 2)}`,
    () => `Z0 ${pick(['+', '-', '*', ''])} ${pick(['X', 'Z'])}${int(n + 1)}`,
    () => ({ terms: [[num(), `Z${int(n)}`]] }), () => num(), () => '', () => ({ terms: num() }),
  ])();
  const tensor = (): tf.Tensor => {
    const rank = pick([0, 1, 2, 3, 4, 4, 4, 5]);
    const shape = Array.from({ length: rank }, () => pick([0, 1, 2, 3, 4, 5, 8]));
    const size = shape.reduce((a, b) => a * b, 1);
    const dtype = pick(['float32', 'float32', 'float32', 'int32', 'bool'] as const);
    const values = Array.from({ length: size }, () => (rng.next() < 0.05 ? pick([NaN, Infinity, -Infinity]) : rng.next() * 2 - 1));
    return dtype === 'float32' ? tf.tensor(values, shape) : tf.tensor(values.map((v) => (Number.isFinite(v) ? Math.round(v) : 0)), shape, dtype);
  };
  const layerOptions = (): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    const keys = ['kernelSize', 'strides', 'padding', 'filters', 'encoding', 'layers', 'shots', 'seed', 'diffMethod', 'poolSize', 'block', 'keep', 'kernalSize', 'foo', 'observables', 'encodingScale'];
    for (let k = 0; k < int(3); k++) o[pick(keys)] = pick([num(), pick(['valid', 'same', 'ry', 'dense', 'hur', 'avg', 'backprop', 'adjoint']), [2, 2], [['Z0']], ['Z0', 'X1']]);
    return o;
  };
  const idxBytes = (): Uint8Array => {
    const dims = Array.from({ length: int(4) }, () => pick([0, 1, 2, 3, 28, 0xffffffff, 2 ** 31]));
    const header = [0, 0, pick([8, 8, 8, 9, 13, 0]), dims.length];
    const bytes = [...header, ...dims.flatMap((d) => [d >>> 24, (d >>> 16) & 255, (d >>> 8) & 255, d & 255])];
    const body = Array.from({ length: int(40) }, () => int(256));
    const all = new Uint8Array([...bytes, ...body]);
    for (let m = 0; m < int(3); m++) all[int(Math.max(all.length, 1))] = int(256);
    return all.slice(0, int(all.length + 1));
  };

  const targets: Array<[string, () => [string, () => unknown]]> = [
    ['Circuit', () => {
      const n = pick([1, 2, 3, 0, 27, -1, 1.5, '2', NaN, 26]);
      const gate = pick(['h', 'rx', 'cx', 'u3', 'crz', 'ccx', 'unitary', 'phase']);
      const args = Array.from({ length: 4 }, num);
      return [`new Circuit(${String(n)}).${gate}(${args.map(String).join(', ')})`, () => {
        const c = new Circuit(n as number) as unknown as Record<string, (...a: unknown[]) => unknown>;
        return c[gate](...args);
      }];
    }],
    ['expval', () => {
      const c = smallCircuit();
      const obs = Array.from({ length: 1 + int(2) }, () => observable(c.nQubits));
      const opts: Record<string, unknown> = {};
      if (rng.next() < 0.6) opts.inputs = pick([[[num(), num(), num()]], [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], num(), tf.tensor2d([[0.1, NaN, 0.3]])]);
      if (rng.next() < 0.6) opts.weights = pick([[num(), num(), num()], [0.1, 0.2, 0.3], num(), [0.1]]);
      if (rng.next() < 0.3) opts.shots = pick([0, -1, 1.5, NaN, 10, 100, '10', 2 ** 40]);
      if (rng.next() < 0.2) opts.method = pick(['auto', 'compiled', 'gate-by-gate', 'gpu']);
      if (rng.next() < 0.1) opts.noise = pick([{ channels: [{ channel: 'depolarizing', p: num() }] }, { channels: 'x' }, { readout: { p01: num(), p10: 0.1 } }]);
      return [`expval(${JSON.stringify(c.toJSON())}, ${JSON.stringify(obs)}, ${JSON.stringify(opts)})`, () => expval(c, obs as never, opts)];
    }],
    ['expval (large)', () => {
      const n = 26, batch = pick([16, 64, 256]);
      const c = new Circuit(n).ry(input(0), 0);
      return [`expval(${n} qubits, batch ${batch})`, () => expval(c, ['Z0'], { inputs: Array.from({ length: batch }, () => [0.1]) })];
    }],
    ['sample', () => {
      const c = smallCircuit();
      const shots = pick([0, -1, 1.5, NaN, Infinity, '5', 1, 50, 2 ** 40, undefined]);
      const opts = { inputs: pick([[[0.1, 0.2, 0.3]], [[NaN, 0, 0]], undefined]), weights: pick([[0.1, 0.2, 0.3], [NaN, 0, 0], undefined]), seed: pick([1, -1, 1.5, undefined]) };
      return [`sample(${JSON.stringify(c.toJSON())}, ${String(shots)}, ${JSON.stringify(opts)})`, () => sample(c, shots as number, opts as never)];
    }],
    ['QuantumConv2D', () => {
      const o = layerOptions(), x = tensor();
      return [`new QuantumConv2D(${JSON.stringify(o)}).apply(${x.dtype} ${JSON.stringify(x.shape)})`, () => {
        try { return new QuantumConv2D(o).apply(x); } finally { x.dispose(); }
      }];
    }],
    ['QuantumPooling', () => {
      const o = layerOptions(), x = tensor();
      return [`new QuantumPooling(${JSON.stringify(o)}).apply(${x.dtype} ${JSON.stringify(x.shape)})`, () => {
        try { return new QuantumPooling(o).apply(x); } finally { x.dispose(); }
      }];
    }],
    ['IDX reader', () => {
      const b = idxBytes(), magic = pick([undefined, 0x803, 0x801, [0x803, 0x804]]);
      return [`parseIdx([${Array.from(b).join(',')}], ${JSON.stringify(magic)})`, () => parseIdx(b, 'fuzz.idx', magic)];
    }],
  ];
  const t = performance.now();
  for (let i = 0; i < count; i++) {
    const [target, make] = targets[i % targets.length];
    let made: [string, () => unknown];
    try { made = make(); } catch (e) { made = ['(generator)', () => { throw e; }]; }
    const [text, f] = made;
    if (process.env.QKC_FUZZ_TRACE) console.log(i, target, text.slice(0, 160));
    judge(counts, target, () => text, () => tf.tidy(() => { const r = f(); return (r instanceof tf.Tensor ? tf.keep(r) : r) as tf.TensorContainer; }), boundMs);
  }
  counts.ms = performance.now() - t;
  return counts;
}

/**
 * Generated command lines through the CLI's main() (in this process, QKC_DEBUG on so the error class shows):
 * every run must exit 0 or end in one line naming a typed error; each argv carries at least one bad value
 * or flag, so nothing trains or writes results.
 */
export async function fuzzCli(count: number, seed: number, boundMs = 5000): Promise<FuzzCounts> {
  const { COMMANDS } = await import('../../src/cli');
  const counts = emptyCounts();
  const rng = new Rng(seed);
  const int = (n: number) => Math.floor(rng.next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const values = ['', 'NaN', '1e999', '-1', '0', '1.5', 'abc', '--', '/no/such/dir', '9'.repeat(40), 'linear', 'hybrid-small', 'mnist', '\u0000', '-3e308'];
  const t = performance.now();
  const previous = process.env.QKC_DEBUG;
  process.env.QKC_DEBUG = '1';
  try {
    for (let i = 0; i < count; i++) {
      const cmd = rng.next() < 0.1 ? { name: pick(['', 'trian', 'help', '--version', 'qkc']), options: {} } : pick(COMMANDS);
      const names = Object.keys(cmd.options ?? {});
      const argv: string[] = [cmd.name];
      for (let k = 0; k < 1 + int(4) && names.length; k++) {
        const name = pick(names);
        argv.push(`--${name}`);
        if ((cmd.options as Record<string, { type: string }>)[name].type !== 'boolean') argv.push(pick(values));
      }
      // One value no command accepts, so no argv starts real work.
      argv.splice(1 + int(argv.length), 0, pick(['--zz-not-an-option', '--epochs=-1', '--seed', 'stray-positional']));
      counts.inputs++;
      const start = process.cpuUsage();
      const r = await runCli(argv);
      const ms = cpuMsSince(start);
      const lines = r.err.split('\n').filter((l) => l.length > 0);
      const last = lines[lines.length - 1] ?? '';
      const errorName = /^(\w*Error)\b/.exec(lines[0] ?? '')?.[1];
      const typed = errorName !== undefined && ['QasmError', 'QasmLimitError', 'ArgumentError', 'DatasetError', 'UnsupportedInputError', 'UsageError', 'StateTooLargeError'].includes(errorName);
      let outcome: string | null = null;
      if (r.code === 0) counts.results++;
      else if ((r.code === 1 || r.code === 2) && last.startsWith('qkc: error: ') && (typed || r.code === 2)) counts.typed++;
      else if (r.code === 1 && last.startsWith('qkc: error: ') && errorName === 'Error') { counts.untyped++; counts.untypedMessages.push(`cli: ${last.slice(0, 200)}`); }
      else outcome = `exit ${r.code}: ${(lines[0] ?? '').slice(0, 200)} … ${last.slice(0, 200)}`;
      if (outcome === null && ms > boundMs) outcome = `took ${ms.toFixed(0)} ms CPU`;
      if (outcome !== null) { counts.other++; counts.failures.push({ target: 'cli', input: JSON.stringify(argv), outcome }); }
    }
  } finally {
    if (previous === undefined) delete process.env.QKC_DEBUG; else process.env.QKC_DEBUG = previous;
  }
  counts.ms = performance.now() - t;
  return counts;
}

/** One line of counts: "inputs N, typed errors T, untyped errors U, results R, other O, S s". */
export function formatCounts(label: string, c: FuzzCounts): string {
  return `${label}: inputs ${c.inputs}, typed errors ${c.typed}, untyped (plain Error) ${c.untyped}, results ${c.results}, other ${c.other}, ${(c.ms / 1000).toFixed(1)} s`;
}
