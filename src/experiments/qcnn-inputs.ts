/**
 * The QCNN study's inputs besides the models' own 4×4 resize: Hur, Kim & Park's fitted fronts, to tell
 * whether qcnn-8's gap to their published 98.4 % on 0 vs 1 is the input or the circuit.
 *  - 'pca8': PCA of the 784 pixels to 8 components (src/data/pca.ts), as their `data.py` at commit 16e44da;
 *  - 'ae8': a dense autoencoder 784 → 8 (ReLU) → 784 (sigmoid) trained for 10 epochs with MSE and Adam
 *    (their `Autoencoder`), the 8 ReLU outputs as features.
 * Both are fitted on the training split only (their validation/test images are only transformed), then
 * rescaled by the TRAINING features' global min and max to [0, 1], which the 'ry' encoding turns into
 * angles π·value ∈ [0, π] on the training set: their rescale, except that they rescaled the test features by
 * the test set's own min and max, a test-set statistic we do not use.
 */
import { tf } from '../backend';
import { checkTrainingSplit, deriveSeed, featureSplit, fitPca, pcaTransform, permutation, type ImageDataset, type TrainTestSplit } from '../data';
import { SeededLayers } from '../models';

/** Inputs of a QCNN task: the models' own area resize to 4×4 ('resize4', the default), or 8 fitted features. */
export type QcnnInput = 'resize4' | 'pca8' | 'ae8';
/** Accepted inputs. */
export const QCNN_INPUTS: readonly QcnnInput[] = ['resize4', 'pca8', 'ae8'];

/** Features of the fitted inputs. */
export const QCNN_FEATURES = 8;

/** How an autoencoder is trained. */
export interface AutoencoderTraining { epochs: number; batchSize: number; learningRate: number; seed: number }
/** How the study's autoencoder is trained (Hur et al.: Keras defaults, Adam 0.001, batch 32, 10 epochs, MSE). */
export const AUTOENCODER_TRAINING: Readonly<AutoencoderTraining> = Object.freeze({ epochs: 10, batchSize: 32, learningRate: 0.001, seed: 0 });

/** A trained autoencoder's encoder as a feature map, with its per-epoch losses (validation loss on the validation split, never the test set). */
export interface FittedAutoencoder {
  encode: (ds: ImageDataset) => Float32Array;
  history: Array<{ epoch: number; loss: number; valLoss: number | null }>;
  dispose(): void;
}

const flat = (xs: tf.Tensor4D): tf.Tensor2D => xs.reshape([xs.shape[0], -1]);

/**
 * Trains the autoencoder 784 → `latent` (ReLU) → 784 (sigmoid) on `train` (refusing a validation or test
 * split), seeded batches, MSE, Adam; `validation` only reports a loss per epoch.
 */
export async function fitAutoencoder(train: ImageDataset, latent: number, validation?: ImageDataset, o: Readonly<AutoencoderTraining> = AUTOENCODER_TRAINING): Promise<FittedAutoencoder> {
  checkTrainingSplit(train, 'fitAutoencoder(train)');
  const L = new SeededLayers(o.seed);
  // Keras's Dense default (Glorot-uniform kernel, zero bias) for both layers, seeded; sigmoid as its own layer.
  const code = tf.layers.dense({ inputShape: [train.pixelsPerImage], units: latent, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: L.nextSeed() }) });
  const model = tf.sequential({ layers: [code, L.dense(train.pixelsPerImage, 'linear'), tf.layers.activation({ activation: 'sigmoid' })] });
  const encoder = tf.model({ inputs: model.inputs, outputs: code.output as tf.SymbolicTensor });
  model.compile({ optimizer: tf.train.adam(o.learningRate), loss: 'meanSquaredError' });
  const mse = (ds: ImageDataset): number => tf.tidy(() => {
    const x = flat(ds.toTensors().xs);
    return (tf.losses.meanSquaredError(x, model.predict(x) as tf.Tensor) as tf.Scalar).dataSync()[0];
  });
  const history: FittedAutoencoder['history'] = [];
  // Not through src/train: that trainer fits classifiers (sparse labels, cross-entropy, its own Adam and batch-order stream), so this MSE reconstruction would need a new trainer mode and would change the batch order and updates at a fixed seed, i.e. the PCA8/AE8 study's numbers.
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const order = permutation(train.size, deriveSeed(o.seed, epoch));
    let sum = 0, count = 0;
    for (let s = 0; s < order.length; s += o.batchSize) {
      const idx = order.subarray(s, s + o.batchSize);
      const { xs, ys } = train.tensorsAt(idx);
      const x = flat(xs);
      const loss = (await model.trainOnBatch(x, x)) as number;
      tf.dispose([xs, ys, x]);
      sum += loss * idx.length;
      count += idx.length;
    }
    history.push({ epoch, loss: sum / count, valLoss: validation ? mse(validation) : null });
  }
  return {
    history,
    encode: (ds) => tf.tidy(() => (encoder.predict(flat(ds.toTensors().xs)) as tf.Tensor).dataSync() as Float32Array),
    dispose: () => model.dispose(),
  };
}

/** The split as the `input` of a QCNN task: unchanged for 'resize4'; for 'pca8' / 'ae8' the 1×8 feature split, fitted on `split.train`. */
export async function qcnnInputSplit(split: TrainTestSplit, input: QcnnInput): Promise<TrainTestSplit> {
  switch (input) {
    case 'resize4':
      return split;
    case 'pca8': {
      const fit = fitPca(split.train, QCNN_FEATURES);
      const ratio = fit.explainedVariance.reduce((a, v) => a + v, 0) / fit.totalVariance;
      return featureSplit(split, (ds) => pcaTransform(fit, ds), QCNN_FEATURES, `PCA to ${QCNN_FEATURES} (${(100 * ratio).toFixed(1)} % of the variance)`);
    }
    case 'ae8': {
      const ae = await fitAutoencoder(split.train, QCNN_FEATURES, split.validation);
      try {
        const last = ae.history[ae.history.length - 1];
        return featureSplit(split, ae.encode, QCNN_FEATURES, `autoencoder to ${QCNN_FEATURES} (${AUTOENCODER_TRAINING.epochs} epochs, Adam ${AUTOENCODER_TRAINING.learningRate}, ` +
          `seed ${AUTOENCODER_TRAINING.seed}; final MSE train ${last.loss.toFixed(4)}, validation ${last.valLoss?.toFixed(4) ?? '—'})`);
      } finally {
        ae.dispose();
      }
    }
    default:
      throw new Error(`qcnn input: expected one of ${QCNN_INPUTS.join(', ')}, got ${JSON.stringify(input)}`);
  }
}
