import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import {
  cropArray,
  cropImages,
  ImageDataset,
  normalizeArray,
  normalizePixels,
  padArray,
  padImages,
  pixelStats,
  preprocessDataset,
  resizeArray,
  resizeImages,
  resizeWeights,
  standardizeArray,
  standardizePixels,
} from '../src/data';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5, what = '') => {
  assert.equal(a.length, b.length, `${what} length`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};
const batch = (values: number[], n: number, h: number, w: number) => tf.tensor4d(values, [n, h, w, 1]);
/** Deterministic pseudo-random pixels in [0, 1). */
const noise = (len: number) => Float32Array.from({ length: len }, (_, i) => Math.abs((Math.sin(i * 12.9898) * 43758.5453) % 1));

describe('data: preprocessing', () => {
  const g4 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
  const lin3 = [0, 3, 6, 9, 12, 15, 18, 21, 24]; // x(i, j) = 9i + 3j

  it('area resize averages blocks, with fractional edges weighted (hand-computed)', async () => {
    close(resizeArray(Float32Array.from(g4), { n: 1, height: 4, width: 4 }, 2), [3.5, 5.5, 11.5, 13.5]);
    // 3 → 2: output 0 covers pixel 0 fully and half of pixel 1: (x0 + ½·x1) / 1.5, and mirrored.
    close(resizeWeights(3, 2, 'area'), [2 / 3, 1 / 3, 0, 0, 1 / 3, 2 / 3]);
    close(resizeArray(Float32Array.from(lin3), { n: 1, height: 3, width: 3 }, 2), [4, 8, 16, 20]);
    const t1 = resizeImages(batch(g4, 1, 4, 4), 2);
    const t2 = resizeImages(batch(lin3, 1, 3, 3), [2, 2]);
    close(await t1.data(), [3.5, 5.5, 11.5, 13.5]);
    close(await t2.data(), [4, 8, 16, 20]);
    assert.deepEqual(t2.shape, [1, 2, 2, 1]);
    tf.dispose([t1, t2]);
  });

  it('bilinear resize matches tf.image.resizeBilinear with half-pixel centres (down and up)', async () => {
    for (const [H, h] of [[28, 8], [28, 14], [5, 7]]) {
      const px = noise(3 * H * H);
      const x = tf.tensor4d(px, [3, H, H, 1]);
      const ref = tf.image.resizeBilinear(x, [h, h], false, true);
      const ours = resizeImages(x, h, 'bilinear');
      close(await ours.data(), await ref.data(), 1e-5, `tensor ${H}→${h}`);
      close(resizeArray(px, { n: 3, height: H, width: H }, h, 'bilinear'), await ref.data(), 1e-5, `array ${H}→${h}`);
      tf.dispose([x, ref, ours]);
    }
  });

  it('tensor and typed-array paths agree (avg-pool fast path and matrix path), area keeps the mean', async () => {
    const px = noise(4 * 28 * 28);
    const x = tf.tensor4d(px, [4, 28, 28, 1]);
    for (const size of [14, 8, [7, 10] as [number, number]]) {
      const t = resizeImages(x, size);
      const a = resizeArray(px, { n: 4, height: 28, width: 28 }, size);
      close(await t.data(), a, 1e-5, `size ${size}`);
      if (size === 14 || size === 8) close([pixelStats(a).mean], [pixelStats(px).mean], 1e-5, 'mean');
      t.dispose();
    }
    x.dispose();
  });

  it('resize is differentiable: d sum / d pixel = (h·w)/(H·W) for area', async () => {
    const x = tf.tensor4d(noise(2 * 28 * 28), [2, 28, 28, 1]);
    for (const [size, expected] of [[14, 0.25], [8, 64 / 784]] as const) {
      const g = tf.grad((v: tf.Tensor) => resizeImages(v as tf.Tensor4D, size).sum())(x);
      const values = await g.data();
      close([Math.min(...values), Math.max(...values)], [expected, expected], 1e-6, `grad ${size}`);
      g.dispose();
    }
    x.dispose();
  });

  it('crops the centre and pads with a frame (hand-computed), on tensors and arrays', async () => {
    const c = cropImages(batch(g4, 1, 4, 4), 2);
    close(await c.data(), [6, 7, 10, 11]);
    close(cropArray(Float32Array.from(g4), { n: 1, height: 4, width: 4 }, [2, 3]), [5, 6, 7, 9, 10, 11]);
    const five = Uint8Array.from({ length: 25 }, (_, i) => i);
    assert.deepEqual(Array.from(cropArray(five, { n: 1, height: 5, width: 5 }, 2)), [6, 7, 11, 12]);
    const p = padImages(batch([1, 2, 3, 4], 1, 2, 2), 1);
    const framed = [0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0];
    close(await p.data(), framed);
    assert.deepEqual(Array.from(padArray(Uint8Array.from([1, 2, 3, 4]), { n: 1, height: 2, width: 2 }, 1)), framed);
    assert.throws(() => cropImages(batch(g4, 1, 4, 4), 5), /cropImages\(size\): expected at most 4×4, got 5×5/);
    assert.throws(() => resizeImages(tf.zeros([2, 4, 4]) as unknown as tf.Tensor4D, 2), /expected a batch of grayscale images \[N, H, W, 1\], got shape \[2, 4, 4\]/);
    assert.throws(() => resizeArray(new Float32Array(10), { n: 1, height: 4, width: 4 }, 2), /expected n·height·width = 1·4·4 = 16 pixels, got 10/);
    tf.dispose([c, p]);
  });

  it('normalises to [0, 1] and standardises with given statistics', async () => {
    close(normalizeArray(Uint8Array.from([0, 51, 255])), [0, 0.2, 1]);
    const n = normalizePixels(batch([0, 51, 255, 102], 1, 2, 2));
    close(await n.data(), [0, 0.2, 1, 0.4]);
    const stats = pixelStats(Float32Array.from([0, 2, 4, 6]));
    close([stats.mean, stats.std], [3, Math.sqrt(5)]);
    close(standardizeArray(Float32Array.from([0.5, 1]), 0.5, 0.25), [0, 2]);
    const s = standardizePixels(batch([0.5, 1, 0, 0.75], 1, 2, 2), 0.5, 0.25);
    close(await s.data(), [0, 2, -2, 1]);
    assert.throws(() => standardizeArray(new Float32Array(1), 0, 0), /standardizeArray\(std\): expected a positive number, got 0/);
    tf.dispose([n, s]);
  });

  it('preprocessDataset scales, crops, resizes and standardises a whole dataset like the tensor ops', async () => {
    const images = Uint8Array.from(noise(3 * 784), (v) => Math.floor(v * 256));
    const ds = new ImageDataset({ images, labels: Uint8Array.from([0, 1, 0]), height: 28, width: 28, numClasses: 2 });
    const out = preprocessDataset(ds, { crop: 24, resize: 8, standardize: { mean: 0.1, std: 0.3 } });
    assert.deepEqual([out.height, out.width, out.size], [8, 8, 3]);
    assert.ok(out.images instanceof Float32Array);
    assert.equal(out.labels, ds.labels);
    const viaTensors = tf.tidy(() =>
      standardizePixels(resizeImages(cropImages(normalizePixels(batch(Array.from(images), 3, 28, 28)), 24), 8), 0.1, 0.3),
    );
    close(out.images, await viaTensors.data(), 1e-5);
    const { xs } = out.toTensors();
    close(await xs.data(), out.images, 0, 'float images go to tensors unscaled');
    tf.dispose([viaTensors, xs]);
  });
});
