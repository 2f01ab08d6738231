import { strict as assert } from 'assert';
import { installWasmGradKernels, ready, tf, WASM_GRAD_KERNELS } from '../src/backend';
import { conv2dBackpropFilterWasm } from '../src/backend/wasm-conv-grad';
import { Rng } from '../src/util';
import { onCpu, relDiff } from './helpers/backend-compare';

type Pad = 'valid' | 'same' | number | [[0, 0], [number, number], [number, number], [0, 0]];
type Rounding = 'floor' | 'round' | 'ceil' | undefined;


function randomTensor(rng: Rng, shape: number[]): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.normal()), shape);
}


/** Gradients of Σ dy ⊙ conv(x, w) w.r.t. x and w, as flat arrays, on the current backend. */
function convGrads(op: 'conv2d' | 'depthwise', x: tf.Tensor, w: tf.Tensor, dy: tf.Tensor, strides: number, pad: 'valid' | 'same'): [Float32Array, Float32Array] {
  const conv = (a: tf.Tensor, b: tf.Tensor) => op === 'conv2d'
    ? tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad)
    : tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad);
  const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), dy)))([x, w]);
  const out: [Float32Array, Float32Array] = [dx.dataSync() as Float32Array, dw.dataSync() as Float32Array];
  tf.dispose([dx, dw]);
  return out;
}

describe('wasm conv gradient kernels', function () {
  before(async function () {
    if ((await ready()).tfBackend !== 'wasm') this.skip();
  });

  it('conv2d gradients equal the cpu backend (valid/same, stride 1/2, 1–3 channels, batch > 1)', async () => {
    const rng = new Rng(11);
    for (const pad of ['valid', 'same'] as const) {
      for (const strides of [1, 2]) {
        for (const c of [1, 2, 3]) {
          const x = randomTensor(rng, [3, 9, 8, c]);
          const w = randomTensor(rng, [3, 3, c, 4]);
          const yShape = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, strides, pad).shape;
          const dy = randomTensor(rng, yShape);
          const [dx, dw] = convGrads('conv2d', x, w, dy, strides, pad);
          const [dxRef, dwRef] = await onCpu(() => convGrads('conv2d', x, w, dy, strides, pad));
          const tag = `pad ${pad}, stride ${strides}, ${c} channels`;
          assert.ok(relDiff(dw, dwRef) < 1e-5, `dW differs (${tag}): ${relDiff(dw, dwRef)}`);
          assert.ok(relDiff(dx, dxRef) < 1e-5, `dx differs (${tag}): ${relDiff(dx, dxRef)}`);
          tf.dispose([x, w, dy]);
        }
      }
    }
  });

  it('the Conv2DBackpropFilter kernel equals the cpu kernel on odd geometry (explicit/numeric pads, rounding, uneven strides)', async () => {
    const rng = new Rng(5);
    const cases: Array<[number[], number[], [number, number], Pad, Rounding]> = [
      [[2, 7, 9, 3], [4, 2, 3, 5], [3, 2], [[0, 0], [2, 1], [0, 3], [0, 0]], undefined],
      [[3, 8, 8, 3], [1, 3, 3, 3], [3, 2], 3, 'floor'],
      [[1, 8, 11, 2], [3, 3, 2, 2], [2, 4], 2, 'ceil'],
      [[2, 5, 6, 3], [2, 2, 3, 1], [2, 2], 2, 'round'],
      [[2, 8, 3, 4], [2, 2, 4, 3], [1, 4], [[0, 0], [0, 0], [2, 0], [0, 0]], undefined], // a window entirely in padding
      [[3, 6, 12, 2], [1, 4, 2, 1], [4, 1], 'same', undefined],
      [[2, 28, 28, 1], [2, 2, 1, 4], [2, 2], 'valid', undefined],
    ];
    for (const [xShape, filterShape, strides, pad, dimRoundingMode] of cases) {
      const info = tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number], filterShape as [number, number, number, number],
        strides, 1, pad, dimRoundingMode);
      const x = randomTensor(rng, xShape), dy = randomTensor(rng, info.outShape);
      const attrs = { strides, pad, dataFormat: 'NHWC', dimRoundingMode, filterShape } as unknown as tf.NamedAttrMap;
      const run = () => {
        const t = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor;
        const v = t.dataSync().slice();
        t.dispose();
        return v;
      };
      const got = run();
      const want = await onCpu(run);
      assert.ok(relDiff(got, want) < 1e-5, `x [${xShape}] filter [${filterShape}] strides [${strides}] pad ${JSON.stringify(pad)} ${dimRoundingMode}: ${relDiff(got, want)}`);
      tf.dispose([x, dy]);
    }
  });

  it('the Conv2DBackpropFilter kernel equals the cpu kernel on 150 seeded random geometries', async () => {
    const rng = new Rng(2024);
    const between = (a: number, b: number) => a + rng.int(b - a + 1);
    let checked = 0;
    for (let t = 0; t < 150; t++) {
      const filterShape: [number, number, number, number] = [between(1, 6), between(1, 6), between(1, 4), between(1, 5)];
      const xShape: [number, number, number, number] = [between(1, 4), between(1, 14), between(1, 14), filterShape[2]];
      const strides: [number, number] = [between(1, 4), between(1, 4)];
      const kind = rng.int(4);
      const pad: Pad = kind === 0 ? 'valid' : kind === 1 ? 'same' : kind === 2 ? between(0, 3) : [[0, 0], [between(0, 3), between(0, 3)], [between(0, 3), between(0, 3)], [0, 0]];
      const dimRoundingMode: Rounding = kind === 2 ? (['floor', 'ceil', 'round'] as const)[rng.int(3)] : undefined;
      let outShape: number[];
      try {
        outShape = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad, dimRoundingMode).outShape;
      } catch {
        continue; // tfjs rejects this geometry itself
      }
      if (outShape.some((d) => d <= 0)) continue;
      const x = randomTensor(rng, xShape), dy = randomTensor(rng, outShape);
      const attrs = { strides, pad, dataFormat: 'NHWC', dimRoundingMode, filterShape } as unknown as tf.NamedAttrMap;
      const run = () => {
        const r = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor;
        const v = r.dataSync().slice();
        r.dispose();
        return v;
      };
      const got = run();
      const want = await onCpu(run);
      assert.ok(relDiff(got, want) < 1e-5, `x [${xShape}] filter [${filterShape}] strides [${strides}] pad ${JSON.stringify(pad)} ${dimRoundingMode}: ${relDiff(got, want)}`);
      tf.dispose([x, dy]);
      checked++;
    }
    assert.ok(checked > 100, `only ${checked} geometries were valid`);
  });

  it('leaves no wasm buffers behind and rejects a dy of the wrong shape', () => {
    const x = tf.ones([2, 6, 6, 1]), dy = tf.ones([2, 4, 4, 3]);
    const backend = tf.backend();
    const before = backend.numDataIds();
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 1, 3] } as unknown as tf.NamedAttrMap) as tf.Tensor;
    assert.deepEqual(Array.from(dw.dataSync()), new Array(27).fill(32)); // each tap sums 2·4·4 ones
    dw.dispose();
    assert.equal(backend.numDataIds(), before);
    assert.throws(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 1, 3] } as unknown as tf.NamedAttrMap),
      /Conv2DBackpropFilter \(qkc, wasm\): dy must have shape \[2,6,6,3\]/);
    assert.equal(backend.numDataIds(), before);
    tf.dispose([x, dy]);
  });

  it('depthwise conv2d gradients (filter and input) equal the cpu backend, channel multiplier 1 and 2', async () => {
    const rng = new Rng(23);
    for (const [pad, strides, c, m] of [['same', 1, 3, 1], ['valid', 2, 2, 2], ['same', 2, 1, 2], ['valid', 1, 3, 2]] as const) {
      const x = randomTensor(rng, [2, 7, 8, c]);
      const w = randomTensor(rng, [3, 3, c, m]);
      const yShape = tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, strides, pad).shape;
      const dy = randomTensor(rng, yShape);
      const [dx, dw] = convGrads('depthwise', x, w, dy, strides, pad);
      const [dxRef, dwRef] = await onCpu(() => convGrads('depthwise', x, w, dy, strides, pad));
      const tag = `pad ${pad}, stride ${strides}, ${c} channels × ${m}`;
      assert.ok(relDiff(dw, dwRef) < 1e-5, `dW differs (${tag}): ${relDiff(dw, dwRef)}`);
      assert.ok(relDiff(dx, dxRef) < 1e-5, `dx differs (${tag}): ${relDiff(dx, dxRef)}`);
      tf.dispose([x, w, dy]);
    }
  });

  it('a small conv model trains with model.fit on wasm, one SGD step matching the cpu backend', async () => {
    // 8×8 images with one horizontal (label 0) or vertical (label 1) bar plus noise.
    const rng = new Rng(3);
    const n = 32;
    const pixels = new Float32Array(n * 64);
    const labels: number[] = [];
    for (let s = 0; s < n; s++) {
      const vertical = s % 2, k = rng.int(8);
      for (let r = 0; r < 8; r++) for (let c = 0; c < 8; c++) pixels[s * 64 + r * 8 + c] = ((vertical ? c : r) === k ? 1 : 0) + 0.1 * rng.normal();
      labels.push(vertical);
    }
    const x = tf.tensor4d(pixels, [n, 8, 8, 1]);
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 2);
    const build = () => tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.conv2d({ filters: 4, kernelSize: 2, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
      ],
    });
    // One SGD step from the same weights on both backends.
    const step = async () => {
      const model = build();
      model.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy' });
      await model.trainOnBatch(x, y);
      const weights = model.getWeights().map((t) => t.dataSync().slice() as Float32Array);
      model.dispose();
      return weights;
    };
    const wasmStep = await step();
    const prev = tf.getBackend();
    await tf.setBackend('cpu');
    let cpuStep: Float32Array[];
    try {
      cpuStep = await step();
    } finally {
      await tf.setBackend(prev);
    }
    wasmStep.forEach((w, i) => assert.ok(relDiff(w, cpuStep[i]) < 1e-4, `weight ${i} after one step: ${relDiff(w, cpuStep[i])}`));

    const model = build();
    const conv1Before = model.layers[0].getWeights()[0].dataSync().slice();
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
    const h = await model.fit(x, y, { epochs: 30, batchSize: 16, shuffle: false, verbose: 0 });
    const loss = h.history.loss as number[];
    assert.ok(loss[loss.length - 1] < 0.3 * loss[0], `loss ${loss[0]} → ${loss[loss.length - 1]}`);
    assert.ok(relDiff(model.layers[0].getWeights()[0].dataSync(), conv1Before) > 0.05, 'the first conv kernel moved');
    model.dispose();
    tf.dispose([x, y]);
  });

  it('installing is idempotent, replaces a stand-in kernel and never touches the cpu backend', async () => {
    assert.equal(ready(), ready());
    for (const name of WASM_GRAD_KERNELS) assert.ok(tf.getKernel(name, 'wasm'), `${name} is registered for wasm`);
    assert.deepEqual(installWasmGradKernels(), []);
    assert.equal(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc, conv2dBackpropFilterWasm);
    assert.notEqual(tf.getKernel('Conv2DBackpropFilter', 'cpu')?.kernelFunc, conv2dBackpropFilterWasm);
    // A stand-in registered by other code (e.g. before ready()) is replaced by ours.
    tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
    const standIn = () => { throw new Error('stand-in'); };
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: standIn });
    try {
      assert.deepEqual(installWasmGradKernels(), ['Conv2DBackpropFilter']);
    } finally {
      if (tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc === standIn) {
        tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
        installWasmGradKernels();
      }
    }
    assert.equal(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc, conv2dBackpropFilterWasm);
  });
});
