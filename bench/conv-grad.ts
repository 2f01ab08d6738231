/**
 * Bench: ways to compute Conv2DBackpropFilter (the conv2d filter gradient) on the wasm backend, which
 * tfjs-backend-wasm 4.22 lacks. Each candidate is checked against the cpu backend's kernel (max relative
 * difference) and timed on LeNet-sized layers, batch 32, interleaved round by round (median ms, ratio to
 * the JS loop baseline):
 *   js-loop          plain JS loops over readSync'd x and dy (the first prototype; the baseline);
 *   im2col-eye+mm    im2col as a wasm Conv2D with an identity filter, then one wasm BatchMatMul (patchesᵀ·dy);
 *   im2col-js+mm     im2col written in JS into a heap buffer, then the same BatchMatMul;
 *   conv3d-native    reshape to 5-D and call wasm's own Conv3DBackpropFilterV2 (wrong for stride > 1: shown, not used);
 *   transposed-conv  what ready() installs (src/backend/wasm-conv-grad.ts): one XNNPACK conv of transposed x
 *                    with dy as the filter, dilation = stride;
 *   cpu-backend      tfjs's cpu kernel: the reference, timed once for scale (includes moving x and dy).
 * Then one LeNet-5-like training step (trainOnBatch, batch 32) with the js-loop kernel against ours.
 * Run: node -r ts-node/register/transpile-only bench/conv-grad.ts [rounds]   (or: npm run bench -- conv-grad)
 */
import { ready, tf, installWasmGradKernels } from '../src/backend';
import { conv2dBackpropFilterWasm, type Conv2DBackpropFilterAttrs } from '../src/backend/wasm-conv-grad';
import { heapF32, runWasmKernel, type WasmBackendLike } from '../src/backend/wasm-heap';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };
type Kernel = (args: KernelArgs) => tf.TensorInfo;

function unpack(args: KernelArgs) {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad,
    attrs.dimRoundingMode, false, 'channelsLast');
  return { x, dy, attrs, info, backend: args.backend as WasmBackendLike & { readSync(id: tf.DataId): Float32Array } };
}

const jsLoop: Kernel = (args) => {
  const { x, dy, attrs, info, backend } = unpack(args);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const xv = backend.readSync(x.dataId), dyv = backend.readSync(dy.dataId);
  const dw = new Float32Array(filterHeight * filterWidth * inChannels * outChannels);
  for (let n = 0; n < batchSize; n++) for (let oh = 0; oh < outHeight; oh++) for (let ow = 0; ow < outWidth; ow++) {
    const dyOff = ((n * outHeight + oh) * outWidth + ow) * outChannels;
    for (let fh = 0; fh < filterHeight; fh++) {
      const ih = oh * strideHeight - top + fh;
      if (ih < 0 || ih >= inHeight) continue;
      for (let fw = 0; fw < filterWidth; fw++) {
        const iw = ow * strideWidth - left + fw;
        if (iw < 0 || iw >= inWidth) continue;
        const xOff = ((n * inHeight + ih) * inWidth + iw) * inChannels;
        const wOff = (fh * filterWidth + fw) * inChannels * outChannels;
        for (let c = 0; c < inChannels; c++) {
          const xval = xv[xOff + c];
          if (xval === 0) continue;
          const row = wOff + c * outChannels;
          for (let o = 0; o < outChannels; o++) dw[row + o] += xval * dyv[dyOff + o];
        }
      }
    }
  }
  const out = backend.makeOutput([...attrs.filterShape], 'float32');
  heapF32(backend, out).set(dw);
  return out;
};

/** dW = patchesᵀ · dy as one wasm BatchMatMul; `patches` [M, K] is disposed here. */
function patchesTimesDy(backend: WasmBackendLike, patches: tf.TensorInfo, dy: tf.TensorInfo, filterShape: number[]): tf.TensorInfo {
  const k = filterShape[0] * filterShape[1] * filterShape[2], f = filterShape[3];
  const m = dy.shape[0] * dy.shape[1] * dy.shape[2];
  const temps = [patches];
  try {
    const a = runWasmKernel('Reshape', { x: patches }, backend, { shape: [1, m, k] });
    const g = runWasmKernel('Reshape', { x: dy }, backend, { shape: [1, m, f] });
    const p = runWasmKernel('BatchMatMul', { a, b: g }, backend, { transposeA: true, transposeB: false });
    temps.push(a, g, p);
    return runWasmKernel('Reshape', { x: p }, backend, { shape: filterShape });
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

const im2colEye: Kernel = (args) => {
  const { x, dy, attrs, backend } = unpack(args);
  const [kh, kw, c] = attrs.filterShape;
  const k = kh * kw * c;
  const eye = backend.makeOutput([kh, kw, c, k], 'float32');
  const ev = heapF32(backend, eye);
  ev.fill(0);
  for (let i = 0; i < k; i++) ev[i * k + i] = 1;
  const patches = runWasmKernel('Conv2D', { x, filter: eye }, backend, { strides: attrs.strides, pad: attrs.pad, dataFormat: 'NHWC', dilations: 1, dimRoundingMode: attrs.dimRoundingMode });
  backend.disposeData(eye.dataId);
  return patchesTimesDy(backend, patches, dy, attrs.filterShape);
};

const im2colJs: Kernel = (args) => {
  const { x, dy, attrs, info, backend } = unpack(args);
  const { batchSize, inHeight, inWidth, inChannels: c1, outHeight, outWidth, filterHeight: kh, filterWidth: kw, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const k = kh * kw * c1;
  const patches = backend.makeOutput([batchSize * outHeight * outWidth, k], 'float32');
  const pv = heapF32(backend, patches), xv = heapF32(backend, x);
  pv.fill(0);
  let row = 0;
  for (let n = 0; n < batchSize; n++) for (let oh = 0; oh < outHeight; oh++) for (let ow = 0; ow < outWidth; ow++, row++) {
    const w0 = ow * strideWidth - left;
    const j0 = Math.max(0, -w0), j1 = Math.min(kw, inWidth - w0);
    if (j1 <= j0) continue;
    for (let i = 0; i < kh; i++) {
      const ih = oh * strideHeight - top + i;
      if (ih < 0 || ih >= inHeight) continue;
      const src = ((n * inHeight + ih) * inWidth + w0 + j0) * c1;
      pv.set(xv.subarray(src, src + (j1 - j0) * c1), row * k + (i * kw + j0) * c1);
    }
  }
  return patchesTimesDy(backend, patches, dy, attrs.filterShape);
};

const conv3dNative: Kernel = (args) => {
  const { x, dy, attrs, backend } = unpack(args);
  const s = typeof attrs.strides === 'number' ? [attrs.strides, attrs.strides] : attrs.strides;
  const x5 = runWasmKernel('Reshape', { x }, backend, { shape: [x.shape[0], 1, ...x.shape.slice(1)] });
  const d5 = runWasmKernel('Reshape', { x: dy }, backend, { shape: [dy.shape[0], 1, ...dy.shape.slice(1)] });
  const r = runWasmKernel('Conv3DBackpropFilterV2', { x: x5, dy: d5 }, backend, { strides: [1, ...s], pad: attrs.pad, filterShape: [1, ...attrs.filterShape] });
  const out = runWasmKernel('Reshape', { x: r }, backend, { shape: attrs.filterShape });
  for (const t of [x5, d5, r]) backend.disposeData(t.dataId);
  return out;
};

const CANDIDATES: Record<string, Kernel> = {
  'js-loop': jsLoop,
  'im2col-eye+mm': im2colEye,
  'im2col-js+mm': im2colJs,
  'conv3d-native': conv3dNative,
  'transposed-conv': conv2dBackpropFilterWasm,
};

const LAYERS: Array<{ name: string; x: [number, number, number, number]; filter: [number, number, number, number]; stride: number; pad: 'valid' | 'same' }> = [
  { name: 'conv1 5×5×1×6, 28×28 same', x: [32, 28, 28, 1], filter: [5, 5, 1, 6], stride: 1, pad: 'same' },
  { name: 'conv2 5×5×6×16, 14×14 valid', x: [32, 14, 14, 6], filter: [5, 5, 6, 16], stride: 1, pad: 'valid' },
  { name: '2×2 stride 2, 4 filters, 28×28', x: [32, 28, 28, 1], filter: [2, 2, 1, 4], stride: 2, pad: 'valid' },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, s = 1e-12;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return d / s;
}

function runCandidate(kernel: Kernel, x: tf.Tensor, dy: tf.Tensor, attrs: object): Float32Array {
  const info = kernel({ inputs: { x, dy }, backend: tf.backend(), attrs: attrs as tf.NamedAttrMap });
  const t = tf.engine().makeTensorFromTensorInfo(info);
  const v = t.dataSync() as Float32Array; // waits for the result, as a training step would
  t.dispose();
  return v;
}

async function onCpu<T>(fn: () => T): Promise<T> {
  await tf.setBackend('cpu');
  try {
    return fn();
  } finally {
    await tf.setBackend('wasm');
  }
}

/** LeNet-5-like: the layer shapes above inside a model. */
function lenet(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 120, activation: 'relu' }),
      tf.layers.dense({ units: 84, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

function useKernel(kernel: Kernel): void {
  tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: kernel as unknown as tf.KernelFunc });
}

export async function main(rounds = 15): Promise<void> {
  const info = await ready();
  if (info.tfBackend !== 'wasm') throw new Error(`bench conv-grad: needs the wasm backend, got '${info.tfBackend}' (unset QKC_BACKEND)`);
  console.log(`wasm backend (SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')}), batch 32, median of ${rounds} interleaved rounds`);
  for (const layer of LAYERS) {
    const x = tf.randomNormal(layer.x, 0, 1, 'float32', 1);
    const outShape = tf.backend_util.computeConv2DInfo(layer.x, layer.filter, layer.stride, 1, layer.pad).outShape;
    const dy = tf.randomNormal(outShape, 0, 1, 'float32', 2);
    const attrs = { strides: layer.stride, pad: layer.pad, dataFormat: 'NHWC', filterShape: layer.filter };
    const tCpu = performance.now();
    const want = await onCpu(() => (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync());
    const cpuMs = performance.now() - tCpu; // once: it takes seconds
    const diff: Record<string, number> = {};
    const times: Record<string, number[]> = {};
    for (const [name, k] of Object.entries(CANDIDATES)) {
      diff[name] = relDiff(runCandidate(k, x, dy, attrs), want);
      times[name] = [];
    }
    for (let r = -2; r < rounds; r++) { // two warm-up rounds
      for (const [name, k] of Object.entries(CANDIDATES)) {
        const t0 = performance.now();
        runCandidate(k, x, dy, attrs);
        if (r >= 0) times[name].push(performance.now() - t0);
      }
    }
    const base = median(times['js-loop']);
    console.log(`\n${layer.name}`);
    console.log('  candidate         median ms   vs js-loop   max rel diff vs cpu');
    for (const [name, ts] of Object.entries(times)) {
      const m = median(ts);
      const d = diff[name].toExponential(1) + (diff[name] > 1e-4 ? '  WRONG' : '');
      console.log(`  ${name.padEnd(17)} ${m.toFixed(2).padStart(9)}   ${(base / m).toFixed(1).padStart(8)}×   ${d}`);
    }
    console.log(`  ${'cpu-backend'.padEnd(17)} ${cpuMs.toFixed(0).padStart(9)}   (one run, incl. moving x and dy; the reference)`);
    tf.dispose([x, dy]);
  }

  // One LeNet training step, js-loop kernel against ours (same model, same batch, interleaved).
  const xb = tf.randomUniform([32, 28, 28, 1], 0, 1, 'float32', 3);
  const yb = tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 10), 'int32'), 10);
  const model = lenet();
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const step: Record<string, number[]> = { 'js-loop': [], 'transposed-conv': [] };
  try {
    for (let r = -2; r < rounds; r++) {
      for (const name of Object.keys(step)) {
        useKernel(CANDIDATES[name]);
        const t0 = performance.now();
        await model.trainOnBatch(xb, yb);
        if (r >= 0) step[name].push(performance.now() - t0);
      }
    }
  } finally {
    installWasmGradKernels(); // puts ours back
  }
  console.log('\nLeNet-5-like trainOnBatch (batch 32, Adam)   median ms   8,000-image epoch (250 steps)');
  for (const [name, ts] of Object.entries(step)) console.log(`  ${name.padEnd(42)} ${median(ts).toFixed(1).padStart(8)}   ${(median(ts) * 250 / 1000).toFixed(1)} s`);
  model.dispose();
  tf.dispose([xb, yb]);
}

if (require.main === module) {
  const [rounds] = process.argv.slice(2).map(Number);
  main(rounds || undefined).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
