/**
 * Bench: QuantumPooling on the feature maps the qkc-mnist-batch QuantumConv2D produces ([64, 14, 14, 4]),
 * 2×2 neighbourhoods with stride 2 per channel → [64, 7, 7, 4]: 12,544 four-qubit circuits pooled to one
 * qubit. Timed in one run against tf.avgPool / tf.maxPool of the same shape and tf.layers.averagePooling2d
 * (the zoo's classical control),
 * interleaved round by round; medians with neighbourhood-circuits per second.
 * Run: node -r ts-node/register/transpile-only bench/pooling-layer.ts [rounds]
 */
import { ready, tf } from '../src/backend';
import { DIFF_METHODS } from '../src/qkc';
import { QuantumPooling, QuantumPoolingArgs } from '../src/pooling';

const SHAPE: [number, number, number, number] = [64, 14, 14, 4];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Wall time (ms) of one synchronous call whose results are read back (so lazy work is included). */
function ms(fn: () => tf.Tensor | tf.Tensor[]): number {
  const t0 = performance.now();
  tf.tidy(() => {
    const out = fn();
    for (const t of Array.isArray(out) ? out : [out]) t.dataSync();
  });
  return performance.now() - t0;
}

export async function main(rounds = 5): Promise<void> {
  const info = await ready();
  const x = tf.variable(tf.randomUniform(SHAPE, 0, 1, 'float32', 1) as tf.Tensor4D);
  const layer = (args: QuantumPoolingArgs) => { const l = new QuantumPooling({ seed: 2, ...args }); l.apply(x); return l; };
  const fwd = (l: QuantumPooling) => () => l.apply(x) as tf.Tensor;
  const averagePool = tf.layers.averagePooling2d({ poolSize: 2 });
  const variants: Record<string, () => tf.Tensor | tf.Tensor[]> = {
    'tf.avgPool forward': () => tf.avgPool(x, 2, 2, 'valid'),
    'tf.maxPool forward': () => tf.maxPool(x, 2, 2, 'valid'),
    'averagePooling2d control forward': () => averagePool.apply(x) as tf.Tensor,
    "'trace-out' forward": fwd(layer({ block: 'trace-out' })),
    "'hur' forward (auto)": fwd(layer({ block: 'hur' })),
    "'hur' forward (gate-by-gate)": fwd(layer({ block: 'hur', simulation: 'gate-by-gate' })),
    "'measure-condition' forward": fwd(layer({ block: 'measure-condition' })),
    "'hur' bloch forward": fwd(layer({ block: 'hur', readout: 'bloch' })),
    'tf.avgPool fwd+bwd (input)': () => Object.values(tf.variableGrads(() => tf.sum(tf.square(tf.avgPool(x, 2, 2, 'valid'))) as tf.Scalar, [x]).grads),
  };
  for (const method of DIFF_METHODS) {
    const l = layer({ block: 'hur', diffMethod: method });
    const vars = [x, l.trainableWeights[0].read() as tf.Variable];
    variants[`'hur' fwd+bwd ${method}`] = () => Object.values(tf.variableGrads(() => tf.sum(tf.square(l.apply(x) as tf.Tensor)) as tf.Scalar, vars).grads);
  }
  const times: Record<string, number[]> = {};
  for (let r = -1; r < rounds; r++) { // round -1 warms up
    for (const [name, fn] of Object.entries(variants)) {
      const t = ms(fn);
      if (r >= 0) (times[name] ??= []).push(t);
    }
  }
  const circuits = SHAPE[0] * (SHAPE[1] / 2) * (SHAPE[2] / 2) * SHAPE[3];
  const base = median(times['tf.avgPool forward']);
  console.log(`backend ${info.tfBackend}; input [${SHAPE.join(', ')}] → ${circuits} neighbourhood circuits (4 qubits → 1); median of ${rounds} interleaved rounds`);
  console.log(`${'variant'.padEnd(32)} ${'ms'.padStart(9)} ${'× avgPool fwd'.padStart(14)} ${'circuits/s'.padStart(12)}`);
  for (const [name, ts] of Object.entries(times)) {
    const m = median(ts);
    const rate = name.startsWith('tf.') || name.includes('averagePooling2d') ? '' : Math.round(circuits / (m / 1000)).toLocaleString('en-US');
    console.log(`${name.padEnd(32)} ${m.toFixed(2).padStart(9)} ${(m / base).toFixed(1).padStart(14)} ${rate.padStart(12)}`);
  }
}

if (require.main === module) {
  main(Number(process.argv[2] ?? 5)).catch((e) => { console.error(e); process.exit(1); });
}
