/**
 * Classical baselines that do not mirror a hybrid layer by layer: the linear model, a LeNet-5-like CNN
 * (the reference for the "a tenth of the parameters" target) and small CNNs whose parameter counts match
 * the hybrids'. (The same-shape controls live with the hybrids in hybrid.ts, built by the same code.)
 */
import { tf } from '../backend';
import { chain, type ResolvedModelOptions } from './model-options';
import { SeededLayers } from './seeded-layers';

/** Flatten → dense(numClasses, softmax): multinomial logistic regression on the raw pixels (784→10 = 7,850). */
export function buildLinear(seed: number, o: ResolvedModelOptions): tf.LayersModel {
  const L = new SeededLayers(seed);
  return chain('linear', o.imageSize, [tf.layers.flatten(), L.dense(o.numClasses, 'softmax')]);
}

/**
 * LeNet-5-like: conv 5×5×6 (same) → max-pool 2 → conv 5×5×16 → max-pool 2 → dense 120 → dense 84 →
 * softmax; ReLU instead of the original tanh/sigmoid and max- instead of subsampling pools, as modern
 * re-implementations do (61,706 parameters on 28×28).
 */
export function buildLeNet5(seed: number, o: ResolvedModelOptions): tf.LayersModel {
  const L = new SeededLayers(seed);
  return chain('lenet5', o.imageSize, [
    L.conv2d(6, 5, 'relu', { padding: 'same' }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    L.conv2d(16, 5, 'relu'),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(),
    L.dense(120, 'relu'),
    L.dense(84, 'relu'),
    L.dense(o.numClasses, 'softmax'),
  ]);
}

/**
 * A plain small CNN on the full-size image: conv 3×3×c1 → max-pool 2 → conv 3×3×c2 → max-pool 2 →
 * [dropout] → softmax. The channel counts are chosen to match a hybrid's total parameter count and the
 * dropout its training recipe (see MODELS).
 */
export function buildSmallCnn(name: string, c1: number, c2: number, dropout = 0) {
  return (seed: number, o: ResolvedModelOptions): tf.LayersModel => {
    const L = new SeededLayers(seed);
    return chain(name, o.imageSize, [
      L.conv2d(c1, 3, 'relu'),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      L.conv2d(c2, 3, 'relu'),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      ...(dropout > 0 ? [tf.layers.dropout({ rate: dropout })] : []),
      L.dense(o.numClasses, 'softmax'),
    ]);
  };
}
