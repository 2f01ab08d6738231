/**
 * Classical baselines that do not mirror a hybrid layer by layer: the linear model, a LeNet-5-like CNN
 * (the reference for the "a tenth of the parameters" target) and small CNNs whose parameter counts match
 * the hybrids'. (The same-shape controls live with the hybrids in hybrid.ts, built by the same code.)
 * They take any supported input as it is (RGB as 3 input channels); a convolution that would leave too
 * little of a small image is padded 'same' instead, and the description says so.
 */
import { tf } from '../backend';
import { chain, type ResolvedModelOptions } from './model-options';
import { SeededLayers } from './seeded-layers';

/** Flatten → dense(numClasses, softmax): multinomial logistic regression on the raw pixels (784→10 = 7,850). */
export function buildLinear(seed: number, o: ResolvedModelOptions): tf.LayersModel {
  const L = new SeededLayers(seed);
  return chain('linear', o, [tf.layers.flatten(), L.dense(o.numClasses, 'softmax')]);
}

/** The smaller input side. */
const side = (o: Pick<ResolvedModelOptions, 'imageSize'>): number => Math.min(o.imageSize[0], o.imageSize[1]);

/** Whether LeNet-5's unpadded second conv 5×5 (after conv 'same' + pool 2) still leaves ≥ 1 pixel after its pool: side ≥ 12. */
export function lenetFitsUnpadded(o: Pick<ResolvedModelOptions, 'imageSize'>): boolean {
  return Math.floor((Math.floor(side(o) / 2) - 4) / 2) >= 1;
}

/**
 * LeNet-5-like: conv 5×5×6 (same) → max-pool 2 → conv 5×5×16 → max-pool 2 → dense 120 → dense 84 →
 * softmax; ReLU instead of the original tanh/sigmoid and max- instead of subsampling pools, as modern
 * re-implementations do (61,706 parameters on 28×28). Below 12×12 the second conv is padded 'same'.
 */
export function buildLeNet5(seed: number, o: ResolvedModelOptions): tf.LayersModel {
  const L = new SeededLayers(seed);
  return chain('lenet5', o, [
    L.conv2d(6, 5, 'relu', { padding: 'same' }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    lenetFitsUnpadded(o) ? L.conv2d(16, 5, 'relu') : L.conv2d(16, 5, 'relu', { padding: 'same' }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(),
    L.dense(120, 'relu'),
    L.dense(84, 'relu'),
    L.dense(o.numClasses, 'softmax'),
  ]);
}

/** Whether the small CNN's two unpadded 3×3 convs, each followed by a pool 2, leave ≥ 1 pixel: side ≥ 10. */
export function smallCnnFitsUnpadded(o: Pick<ResolvedModelOptions, 'imageSize'>): boolean {
  return Math.floor((Math.floor((side(o) - 2) / 2) - 2) / 2) >= 1;
}

/**
 * A plain small CNN on the full-size image: conv 3×3×c1 → max-pool 2 → conv 3×3×c2 → max-pool 2 →
 * [dropout] → softmax (convs padded 'same' below 10×10). The channel counts are chosen to match a hybrid's
 * total parameter count and the dropout its training recipe (see MODELS).
 */
export function buildSmallCnn(name: string, c1: number, c2: number, dropout = 0) {
  return (seed: number, o: ResolvedModelOptions): tf.LayersModel => {
    const L = new SeededLayers(seed);
    const pad = smallCnnFitsUnpadded(o) ? {} : { padding: 'same' as const };
    return chain(name, o, [
      L.conv2d(c1, 3, 'relu', pad),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      L.conv2d(c2, 3, 'relu', pad),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      ...(dropout > 0 ? [tf.layers.dropout({ rate: dropout })] : []),
      L.dense(o.numClasses, 'softmax'),
    ]);
  };
}
