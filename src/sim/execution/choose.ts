/**
 * The one place that decides how a circuit runs. `explainExecution` takes the circuit, batch, shots,
 * noise, gradient method and the execution setting, and returns the executor chosen, what computes
 * the gradient, and why — or refuses up front (StateTooLargeError) when the states would not fit.
 * `expval`, `probabilities`, `sample`, `simulate`, `differentiableExpval` and the quantum layers all
 * ask it, so what runs for a given call can be read here (or printed: `qkc info`, a layer's `cost()`).
 */
import { Circuit } from '../circuit';
import { NoiseModel } from '../noise';
import { canCompile } from '../compiled/compile-split';
import { DiffMethod, DIFF_METHOD_NAMES, ExecutorName, ExecutorSetting, EXECUTOR_SETTINGS, SimEngine, ExpvalMethod } from './types';
import { StateTooLargeError, WASM_HEAP_MAX_BYTES, maxStateBytes, estimateMemory, amplitudesPerRow, shortBytes } from './memory';
import { SUPEROPERATOR_MAX_QUBITS, SUPEROPERATOR_MIN_ROWS, superoperatorBlocker } from './superoperator';
import { badArgument } from '../../util/errors';
import { isParamRef } from '../params';
import { hostThreads } from './threads';

/**
 * From this many qubits `simulate` (a run that returns the states) uses the host kernel: on wasm the
 * host kernel was faster at every size measured (2–40×, bench/large-state.ts), and from ~12 qubits the
 * tf engine's per-gate transposes of the whole state (and its autodiff tape of one state per gate) make
 * it impractical (a 20-qubit, 200-gate circuit: ~30 s against ~1 s). Below, states stay tf tensors
 * differentiated by plain tfjs autodiff (higher-order gradients, tfjs-node's native kernels when
 * installed). Expectations follow FASTEST_PATH_THRESHOLDS instead.
 */
export const HOST_ENGINE_MIN_QUBITS = 12;

/** Where one task switches executor: compiled up to `compiledMaxQubits`, tf below `hostMinQubits`, else host. */
export interface PathThresholds { compiledMaxQubits: number; hostMinQubits: number }

/** The task a run's speed is measured on: a forward run, or forward + gradient by one method. */
export type PathTask = 'forward' | DiffMethod;

/**
 * Batch classes: up to SMALL_BATCH_MAX_ROWS rows use the thresholds measured at batch 1, up to
 * MEDIUM_BATCH_MAX_ROWS those measured at batch 64, larger batches those measured at batch 4096.
 */
export const SMALL_BATCH_MAX_ROWS = 8;
/** See SMALL_BATCH_MAX_ROWS (the geometric middle of the measured 64 and 4096). */
export const MEDIUM_BATCH_MAX_ROWS = 512;

/**
 * The fastest executor per task, qubit count and batch class, as measured by
 * `npm run bench -- execution-thresholds` (bench/results/execution-thresholds.json: the issue-14 scaling
 * circuit at 4–12 qubits, batch 1, 64 and 4096, every executor that can serve each task). The host
 * kernel beat the tf engine at every measured size and batch (4 qubits and up: 2–100×); the compiled
 * block wins on large batches up to 8 qubits (3–10×: the block unitary is shared by thousands of rows)
 * and on small ones only at 4 qubits or not at all. At 4–6 qubits and small batches both take about a
 * millisecond, and the ordering there is within the noise of a loaded machine.
 * Below 4 qubits (2–3 measured, batch 1 and 64, 11 rounds) the host kernel also beats the tf engine,
 * 5–15× with a gradient and 4–8× without, so 'auto' never picks tf for expectations.
 * 'backprop' (also a differentiable expval without a method, under tf.grad) runs the same code as
 * 'adjoint' on both executors since the host reads expectations out itself (the host's customGrad is
 * its adjoint sweep, the compiled block's is its adjoint through the block), so it takes adjoint's
 * thresholds: before, the host went through state tensors and a tf read-out, 1.5–100× slower, which
 * had made the compiled block look faster at 4–6 qubits (re-measured 2026-12-06, 2 rounds, load ~20).
 * From 12 qubits only the host kernel serves; how it walks a large batch (chunks of rows, final states
 * kept or recomputed for the sweep) is measured by `npm run bench -- large-batch` and decided in host-batching.ts.
 */
export const FASTEST_PATH_THRESHOLDS: Readonly<Record<PathTask, Readonly<Record<'small' | 'medium' | 'large', PathThresholds>>>> = {
  forward: { small: { compiledMaxQubits: 4, hostMinQubits: 1 }, medium: { compiledMaxQubits: 4, hostMinQubits: 1 }, large: { compiledMaxQubits: 8, hostMinQubits: 1 } },
  backprop: { small: { compiledMaxQubits: 0, hostMinQubits: 1 }, medium: { compiledMaxQubits: 4, hostMinQubits: 1 }, large: { compiledMaxQubits: 8, hostMinQubits: 1 } },
  adjoint: { small: { compiledMaxQubits: 0, hostMinQubits: 1 }, medium: { compiledMaxQubits: 4, hostMinQubits: 1 }, large: { compiledMaxQubits: 8, hostMinQubits: 1 } },
  'parameter-shift': { small: { compiledMaxQubits: 0, hostMinQubits: 1 }, medium: { compiledMaxQubits: 4, hostMinQubits: 1 }, large: { compiledMaxQubits: 8, hostMinQubits: 1 } },
};

/** Largest register 'auto' ever compiles (large batches; smaller ones per FASTEST_PATH_THRESHOLDS). */
export const AUTO_COMPILE_MAX_QUBITS = Math.max(...Object.values(FASTEST_PATH_THRESHOLDS).flatMap((t) => Object.values(t).map((p) => p.compiledMaxQubits)));

/** The batch class of `batch` rows (see SMALL_BATCH_MAX_ROWS). */
export function batchClass(batch: number): 'small' | 'medium' | 'large' {
  return batch <= SMALL_BATCH_MAX_ROWS ? 'small' : batch <= MEDIUM_BATCH_MAX_ROWS ? 'medium' : 'large';
}

/** The thresholds that apply to a task on `batch` rows. */
export function pathThresholds(task: PathTask, batch: number): PathThresholds {
  return FASTEST_PATH_THRESHOLDS[task][batchClass(batch)];
}

/** What a run asks for; everything `explainExecution` decides on. */
export interface ExecutionRequest {
  circuit: Circuit;
  /** Rows of the run (circuit executions in one batch). */
  batch: number;
  /** 'expectations' (default: expval, layers) or 'states' (simulate, probabilities, sample, inspection). */
  output?: 'expectations' | 'states';
  shots?: number;
  noise?: NoiseModel;
  /** The gradient method wanted; omitted: a forward run differentiated by its executor's own gradient. */
  diffMethod?: DiffMethod;
  /** The execution setting (default 'auto'). */
  executor?: ExecutorSetting;
  /** Whether the run starts from a given state instead of |0…0⟩. */
  initialState?: boolean;
  /**
   * Whether a gradient may be taken through the run (tensor weights, inputs or initial state), so its
   * memory is counted (default: when diffMethod is given).
   */
  differentiable?: boolean;
  /** No gradient tape is recording (predict, evaluation): no backward pass can follow, so no gradient memory is counted. */
  forwardOnly?: boolean;
  /** Memory limit in bytes (default: QKC_MAX_STATE_BYTES, else DEFAULT_MAX_STATE_BYTES). */
  maxStateBytes?: number;
  /** Names the caller in errors (default 'execution'). */
  fn?: string;
}

/** What computes gradients of a run. */
export type GradientKind = 'tfjs autodiff' | 'adjoint sweep' | 'parameter-shift' | 'none';

/** The decision: the executor, its gradient, why, and the memory it needs. */
export interface ExecutionChoice {
  executor: ExecutorName;
  /** What differentiates the run ('none' with `gradientBlocker` saying why a gradient would fail). */
  gradient: GradientKind;
  /** Set when a gradient of this run cannot be computed: the message a gradient request fails with. */
  gradientBlocker?: string;
  /** Why this executor, in one line. */
  reason: string;
  /** The executors not taken, each with why. */
  rejected: { executor: ExecutorName; why: string }[];
  qubits: number;
  batch: number;
  /** Threads the executor runs on (the host kernel splits large states between two; see threads.ts). */
  threads: number;
  /** Bytes the states need on this executor, and the limit they were checked against. */
  bytes: number;
  limitBytes: number;
}

/** Old option names of the execution setting, as callers may still pass them. */
export interface ExecutorAliases {
  executor?: ExecutorSetting;
  /** expval's method: 'auto' | 'compiled' | 'gate-by-gate'. */
  method?: ExpvalMethod;
  /** simulate's engine: 'auto' | 'tf' | 'host'. */
  engine?: SimEngine;
  /** differentiableExpval's compiled flag: false = 'gate-by-gate'. */
  compiled?: boolean;
}

const quote = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');

/**
 * The execution setting from the one option or its older aliases (checked; errors name the option
 * under `fn`). `executor` wins; otherwise method, engine and compiled combine as they always did.
 */
export function executorSetting(options: ExecutorAliases, fn: string): ExecutorSetting {
  const { executor, method, engine, compiled } = options;
  if (executor !== undefined) {
    if (!EXECUTOR_SETTINGS.includes(executor)) throw badArgument(`${fn}(executor): expected one of ${quote(EXECUTOR_SETTINGS)}, got ${JSON.stringify(executor)}`);
    return executor;
  }
  if (method !== undefined && !['auto', 'compiled', 'gate-by-gate'].includes(method)) {
    throw badArgument(`${fn}(method): expected one of 'auto', 'compiled', 'gate-by-gate', got ${JSON.stringify(method)}`);
  }
  if (engine !== undefined && engine !== 'auto' && engine !== 'tf' && engine !== 'host') {
    throw badArgument(`${fn}(engine): expected 'auto', 'tf' or 'host', got '${String(engine)}'`);
  }
  if (compiled !== undefined && typeof compiled !== 'boolean') throw badArgument(`${fn}(compiled): expected true or false, got ${JSON.stringify(compiled)}`);
  if (method === 'compiled') {
    if (engine === 'tf' || engine === 'host') throw badArgument(`${fn}(method): 'compiled' cannot be used: a gate-by-gate engine was chosen (engine: '${engine}')`);
    return 'compiled';
  }
  if (engine === 'tf' || engine === 'host') return engine;
  return method === 'gate-by-gate' || compiled === false ? 'gate-by-gate' : 'auto';
}

/** Why the compiled block cannot serve this request (undefined when it can). */
function compiledBlocker(req: ExecutionRequest, setting: ExecutorSetting): string | undefined {
  if (req.output === 'states') return 'the states themselves are asked for (the compiled path returns expectations)';
  if (req.shots !== undefined) return 'shots were requested (the compiled path is exact)';
  if (req.noise) return 'noise was requested (the compiled path is a pure-state simulator)';
  if (req.initialState) return 'an initial state was given (the compiled path starts from |0…0⟩)';
  if (setting === 'tf' || setting === 'host') return `a gate-by-gate engine was chosen (engine: '${setting}')`;
  if (setting === 'gate-by-gate') return "the setting is 'gate-by-gate'";
  return canCompile(req.circuit).reason;
}

/** Why the superoperator executor cannot serve this noisy request (undefined when it can). */
function superoperatorBlockerOf(req: ExecutionRequest, setting: ExecutorSetting): string | undefined {
  if (req.output === 'states') return 'the states themselves are asked for (the superoperator path returns expectations)';
  if (req.initialState) return 'an initial state was given (the superoperator path starts from |0…0⟩)';
  if (req.diffMethod === 'parameter-shift' || req.diffMethod === 'adjoint') return `diffMethod '${req.diffMethod}' (noisy runs are differentiated by backprop only)`;
  if (setting !== 'auto' && setting !== 'superoperator') return `the setting is '${setting}'`;
  const circuit = superoperatorBlocker(req.circuit);
  if (circuit) return circuit;
  if (setting === 'auto' && req.batch < SUPEROPERATOR_MIN_ROWS) return `${req.batch} < ${SUPEROPERATOR_MIN_ROWS} rows (SUPEROPERATOR_MIN_ROWS): composing the superoperators does not pay`;
  return undefined;
}

/** The gradient of a run on `executor` for `diff`, or the message a gradient request fails with. */
function gradientOf(executor: ExecutorName, req: ExecutionRequest): { gradient: GradientKind; blocker?: string } {
  const diff = req.diffMethod;
  if (executor === 'density' || executor === 'superoperator') {
    if ((diff === undefined || diff === 'backprop') && req.shots === undefined) return { gradient: 'tfjs autodiff' };
    return { gradient: 'none', blocker: `noise: gradients of noisy (density-matrix) runs are available with diffMethod 'backprop' and exact expectations only (got diffMethod '${diff ?? 'backprop'}'${req.shots !== undefined ? `, shots ${req.shots}` : ''})` };
  }
  if (req.shots !== undefined && diff !== 'parameter-shift') {
    return { gradient: 'none', blocker: `shots: gradients of finite-shot estimates need diffMethod 'parameter-shift' (got '${diff ?? 'backprop'}')` };
  }
  if (diff === 'parameter-shift') return { gradient: 'parameter-shift' };
  if (diff === 'adjoint' || executor === 'host' || executor === 'compiled') return { gradient: 'adjoint sweep' };
  return { gradient: 'tfjs autodiff' };
}

/**
 * Operations a tf-engine run applies (an upper bound): the gates, and on density matrices one channel
 * per wire of every gate for each channel spec, plus the per-operation channels.
 */
function operationsOf(circuit: Circuit, noise?: NoiseModel): number {
  const wires = circuit.ops.reduce((t, op) => t + op.wires.length, 0);
  return circuit.ops.length + (noise ? (noise.channels?.length ?? 0) * wires + (noise.opChannels?.length ?? 0) : 0);
}

/** Fixed stretches between runs of data-reading operations (the superoperators a circuit composes into, at most). */
function fixedStretches(circuit: Circuit): number {
  let runs = 0, inData = false;
  for (const op of circuit.ops) {
    const data = op.params.some((p) => isParamRef(p) && p.kind === 'input');
    if (data && !inData) runs++;
    inData = data;
  }
  return runs + 1;
}

/**
 * Decides how `req` runs: the executor, what differentiates it, why, and the bytes its states need.
 * Throws StateTooLargeError (in microseconds, before anything is allocated) when they exceed the
 * limit, and a named error when an explicit setting cannot serve the request.
 */
export function explainExecution(req: ExecutionRequest): ExecutionChoice {
  const fn = req.fn ?? 'execution';
  const n = req.circuit.nQubits;
  if (!Number.isInteger(req.batch) || req.batch < 0) throw badArgument(`${fn}(batch): expected a non-negative integer, got ${String(req.batch)}`);
  if (req.diffMethod !== undefined && !DIFF_METHOD_NAMES.includes(req.diffMethod)) {
    throw badArgument(`${fn}(diffMethod): expected one of ${quote(DIFF_METHOD_NAMES)}, got ${JSON.stringify(req.diffMethod)}`);
  }
  const setting = executorSetting({ executor: req.executor }, fn);
  const rejected: ExecutionChoice['rejected'] = [];
  let executor: ExecutorName, reason: string;
  const blocked = compiledBlocker(req, setting);
  if (req.noise) {
    if (setting === 'compiled') throw badArgument(`${fn}(method): 'compiled' cannot be used: ${blocked}`);
    const fusedBlocked = superoperatorBlockerOf(req, setting);
    if (setting === 'superoperator' && fusedBlocked) throw badArgument(`${fn}(executor): 'superoperator' cannot be used: ${fusedBlocked}`);
    if (!fusedBlocked) {
      executor = 'superoperator';
      reason = `noise was requested and data enter only through rz(s·x) on ${n} ≤ ${SUPEROPERATOR_MAX_QUBITS} qubits with no free weights (a transpiled device kernel): ` +
        'each fixed stretch of gates and channels composed once into a 4^n × 4^n superoperator, data as diagonal phases, a batch in a few matrix products';
      rejected.push({ executor: 'density', why: 'gate by gate: one tensor pass per gate and channel' });
    } else {
      executor = 'density';
      reason = 'noise was requested: density matrices (4^n amplitudes per row) through the tf ops, gate by gate';
      rejected.push({ executor: 'superoperator', why: fusedBlocked });
    }
    rejected.push({ executor: 'compiled', why: blocked as string }, { executor: 'tf', why: 'pure states only' }, { executor: 'host', why: 'pure states only' });
  } else if (setting === 'density' || setting === 'superoperator') {
    throw badArgument(`${fn}(executor): '${setting}' needs a noise model (pass noise: {...})`);
  } else if (setting === 'compiled') {
    if (blocked) throw badArgument(`${fn}(method): 'compiled' cannot be used: ${blocked}`);
    executor = 'compiled';
    reason = "the setting is 'compiled'";
  } else {
    // States (simulate, inspection) keep the engine rule; expectations take the measured fastest path.
    // A differentiable run without a method (expval under tf.grad) is timed as 'backprop'.
    const task: PathTask = req.shots !== undefined && req.diffMethod !== 'parameter-shift' ? 'forward' : req.diffMethod ?? (req.differentiable ? 'backprop' : 'forward');
    const th = req.output === 'states' ? { compiledMaxQubits: 0, hostMinQubits: HOST_ENGINE_MIN_QUBITS } : pathThresholds(task, req.batch);
    const where = req.output === 'states' ? 'HOST_ENGINE_MIN_QUBITS, states asked for' : `fastest measured for ${task} on a ${batchClass(req.batch)} batch, FASTEST_PATH_THRESHOLDS`;
    if (!blocked && n <= th.compiledMaxQubits) {
      executor = 'compiled';
      reason = `encoding prefix + data-independent block on ${n} ≤ ${th.compiledMaxQubits} qubits (${where}), exact expectations: one block unitary shared by all rows`;
    } else {
      rejected.push({ executor: 'compiled', why: blocked ?? `${n} > ${th.compiledMaxQubits} qubits (${where}): the 2^n × 2^n block is slower there` });
      if (req.diffMethod === 'parameter-shift' || req.diffMethod === 'adjoint') {
        if (setting === 'tf') throw badArgument(`${fn}(executor): the tf executor has no ${req.diffMethod} gradient (it is differentiated by tfjs autodiff, diffMethod 'backprop'); use 'host' or 'auto'`);
        executor = 'host';
        reason = `${req.diffMethod} runs on the host kernel (${req.diffMethod === 'adjoint' ? 'one backward sweep per gradient' : 'all shifted sets stacked into one batch'})`;
        rejected.push({ executor: 'tf', why: `no ${req.diffMethod} gradient` });
      } else if (setting === 'tf' || setting === 'host') {
        executor = setting;
        reason = `the setting is '${setting}'`;
      } else if (n >= th.hostMinQubits) {
        executor = 'host';
        reason = `${n} ≥ ${th.hostMinQubits} qubits (${where}): the host kernel beats the tf engine there`;
        rejected.push({ executor: 'tf', why: `${n} ≥ ${th.hostMinQubits} qubits` });
      } else {
        executor = 'tf';
        reason = `${n} < ${th.hostMinQubits} qubits (${where}): tf ops, differentiated by plain tfjs autodiff`;
        rejected.push({ executor: 'host', why: `${n} < ${th.hostMinQubits} qubits` });
      }
    }
  }
  const { gradient, blocker } = gradientOf(executor, req);
  // The host kernel's threads: its states live in shared memory, the same bytes as on one thread.
  const threads = executor === 'host' ? hostThreads(req.circuit, req.batch, req.diffMethod === undefined ? 'forward' : gradient === 'parameter-shift' ? 'parameter-shift' : 'gradient') : { threads: 1, why: '' };
  if (threads.threads > 1) reason += `; ${threads.threads} threads: ${threads.why}`;
  const limitBytes = maxStateBytes(req.maxStateBytes, fn);
  const { bytes, wasmBytes } = estimateMemory({
    executor, nQubits: n, batch: req.batch, output: req.output, operations: operationsOf(req.circuit, executor === 'density' ? req.noise : undefined),
    gradient: gradient !== 'none' && req.forwardOnly !== true && (req.diffMethod !== undefined || req.differentiable === true),
    hostReadOut: req.diffMethod === 'parameter-shift' || (req.shots === undefined && !req.initialState),
    stretches: executor === 'superoperator' ? fixedStretches(req.circuit) : undefined,
    shiftSets: req.diffMethod === 'parameter-shift' ? 4 * req.circuit.ops.filter((op) => op.params.some(isParamRef)).length : undefined,
    limitBytes,
  });
  if (bytes > limitBytes) throw new StateTooLargeError(fn, n, req.batch, executor, bytes, limitBytes, amplitudesPerRow(executor, n));
  if (wasmBytes > WASM_HEAP_MAX_BYTES) throw new StateTooLargeError(fn, n, req.batch, executor, wasmBytes, WASM_HEAP_MAX_BYTES, amplitudesPerRow(executor, n), true);
  return { executor, gradient, ...(blocker ? { gradientBlocker: blocker } : {}), reason, rejected, qubits: n, batch: req.batch, threads: threads.threads, bytes, limitBytes };
}

/** One line of a choice: "host (gradient: adjoint sweep): 20 ≥ 12 qubits …; states 16.0 MiB of 4.0 GiB". */
export function describeChoice(c: ExecutionChoice): string {
  return `${c.executor} (gradient: ${c.gradient}${c.gradientBlocker ? ` — ${c.gradientBlocker}` : ''}): ${c.reason}; states ${shortBytes(c.bytes)} of ${shortBytes(c.limitBytes)}`;
}
