/** Training runs reduced to bits, for tests that a speed change leaves training bit for bit as it was. */
import { loadMnist } from '../../src/data';
import { buildModel } from '../../src/models';
import { train } from '../../src/train';

/** A float32 array's bit patterns (so NaNs and signed zeros compare exactly). */
export function bits(a: ArrayLike<number>): number[] {
  return Array.from(new Uint32Array(Float32Array.from(a).buffer));
}

/** The zoo model `name` (seed 0) trained one epoch on 96 embedded digits, batch 32: epoch loss and weight bits, initial weights too. */
export async function trainedBits(name: string, seed: number): Promise<{ loss: number; weights: number[][]; initial: number[][] }> {
  const data = loadMnist({ trainSize: 96, testSize: 10 }).train;
  const model = buildModel(name, 0);
  try {
    const initial = model.getWeights().map((w) => bits(w.dataSync()));
    const r = await train(model, { train: data }, { epochs: 1, batchSize: 32, seed, progress: 'none' });
    return { loss: r.history[0].loss, weights: model.getWeights().map((w) => bits(w.dataSync())), initial };
  } finally {
    model.dispose();
  }
}
