/**
 * `withZeroGradient`: runs tensor work whose input needs no gradient (image pixels before a first layer)
 * as one gradient node. tfjs records every op on the gradient tape while a gradient is being taken and
 * copies the tensors each op saves for its backward pass (one Identity kernel per saved tensor on wasm),
 * even on paths no gradient will flow through; ops inside a custom-gradient node are not recorded.
 */
import * as tf from '@tensorflow/tfjs';

type CustomGradFn = Parameters<typeof tf.customGrad>[0];

/** `f(x)` with a zero gradient w.r.t. `x` and nothing recorded or saved for the ops inside `f`. */
export function withZeroGradient<T extends tf.Tensor, R extends tf.Tensor>(f: (x: T) => R, x: T): R {
  const node = tf.customGrad(((input: tf.Tensor) => ({
    value: f(input as T),
    gradFunc: () => tf.zerosLike(input),
  })) as unknown as CustomGradFn);
  return node(x) as R;
}
