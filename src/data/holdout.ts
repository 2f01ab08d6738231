/**
 * A seeded, stratified hold-out: the one algorithm behind the embedded MNIST test split and the validation
 * split carved from a training set (documented in datasets/README.md):
 *  1. one mulberry32 stream (`Rng`) seeded with `seed` shuffles each class's positions in turn, class 0
 *     first, by Fisher–Yates;
 *  2. the `size` held-out places are shared over the classes by largest remainder (`allocateProportional`),
 *     and each class gives the first that many of its shuffled positions to the held-out part;
 *  3. each part is put in stratified interleaved order (`stratifiedOrder`), so its prefixes are stratified.
 */
import { Rng } from '../util/random';
import type { ImageDataset } from './image-dataset';
import { allocateProportional, countClasses, stratifiedOrder } from './stratify';

/** Positions of the held-out part and of the rest, each in stratified interleaved order. */
export interface Holdout {
  held: Uint32Array;
  rest: Uint32Array;
}

/** Splits positions 0…n-1 of `labels` into a stratified held-out part of `size` and the rest (see the file comment). */
export function stratifiedHoldout(labels: ArrayLike<number>, numClasses: number, size: number, seed: number): Holdout {
  countClasses(labels, numClasses, 'stratifiedHoldout(labels)');
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]].push(i);
  const rng = new Rng(seed);
  for (const members of byClass) rng.shuffle(members);
  const nHeld = allocateProportional(byClass.map((m) => m.length), size);
  const interleave = (parts: number[][]): Uint32Array => {
    const flat = parts.flat();
    const order = stratifiedOrder(Uint8Array.from(flat, (i) => labels[i]), numClasses);
    return Uint32Array.from(order, (k) => flat[k]);
  };
  return {
    held: interleave(byClass.map((m, c) => m.slice(0, nHeld[c]))),
    rest: interleave(byClass.map((m, c) => m.slice(nHeld[c]))),
  };
}

/** Default validation split: 5,000 images (the customary 55,000 / 5,000 of MNIST), seed "qkc" (0x716b63). */
export const VALIDATION_DEFAULTS = Object.freeze({ size: 5000, seed: 0x716b63 });

/**
 * Carves a stratified validation set of `size` images out of `train` (seeded, see `stratifiedHoldout`):
 * disjoint from what is left, the same on every machine for the same seed, both parts in stratified order.
 */
export function carveValidation(train: ImageDataset, size: number, seed: number = VALIDATION_DEFAULTS.seed): { train: ImageDataset; validation: ImageDataset } {
  const { held, rest } = stratifiedHoldout(train.labels, train.numClasses, size, seed);
  const base = train.name.replace(/\/train$/, '');
  return { train: train.subset(rest), validation: train.subset(held, `${base}/validation`) };
}
