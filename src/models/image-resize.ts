/**
 * `ImageResize`: the classical front's resize as a tfjs layer (no weights), so that a model takes the
 * dataset's 28×28 images as they come and a saved model carries its own preprocessing. The maths is
 * src/data's `resizeImages` (area = average pooling for integer factors, else two small matMuls).
 */
import { tf } from '../backend';
import { resizeImages, toHW, type ImageSize, type ResizeMethod } from '../data';

/** tf.layers.Layer's constructor arguments (name, inputShape, …). */
type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Options of ImageResize (plus the usual layer arguments: name, inputShape, …). */
export interface ImageResizeArgs extends LayerArgs {
  /** Output [height, width] (or one number for a square). */
  size: ImageSize;
  /** 'area' (default; mean over the covered input area) or 'bilinear'. */
  method?: ResizeMethod;
}

/** Resizes [batch, H, W, 1] images to [batch, h, w, 1]; differentiable, no trainable weights. */
export class ImageResize extends tf.layers.Layer {
  /** Name under which tfjs serialises the class. */
  static className = 'ImageResize';
  readonly size: [number, number];
  readonly method: ResizeMethod;

  constructor(args: ImageResizeArgs) {
    const { size, method: m, ...base } = args ?? ({} as ImageResizeArgs);
    super({ ...base, trainable: false });
    if (size == null) throw new Error('ImageResize: expected { size, method? }, got no size');
    this.size = toHW(size, 'ImageResize(size)');
    const method = m ?? 'area';
    if (method !== 'area' && method !== 'bilinear') throw new Error(`ImageResize(method): expected 'area' or 'bilinear', got ${JSON.stringify(method)}`);
    this.method = method;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (s.length !== 4 || s[3] !== 1) {
      throw new Error(`ImageResize '${this.name}': expected input [batch, H, W, 1] (grayscale), got [${s.map((d) => d ?? 'null').join(', ')}]`);
    }
    return [s[0], this.size[0], this.size[1], 1];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return resizeImages(x, this.size, this.method);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { size: [...this.size], method: this.method, ...super.getConfig() };
  }
}

tf.serialization.registerClass(ImageResize);

/** BT.601 luma weights of R, G, B: the grayscale front of the models that read one channel. */
export const LUMA_WEIGHTS = Object.freeze([0.299, 0.587, 0.114]);

/** RGB images [batch, H, W, 3] to grayscale [batch, H, W, 1] by BT.601 luma; no trainable weights. */
export class ImageGrayscale extends tf.layers.Layer {
  /** Name under which tfjs serialises the class. */
  static className = 'ImageGrayscale';

  constructor(args: LayerArgs = {}) {
    super({ ...args, trainable: false });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (s.length !== 4 || s[3] !== 3) {
      throw new Error(`ImageGrayscale '${this.name}': expected input [batch, H, W, 3] (RGB), got [${s.map((d) => d ?? 'null').join(', ')}]`);
    }
    return [s[0], s[1], s[2], 1];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.tidy(() => tf.sum(tf.mul(x, tf.tensor1d([...LUMA_WEIGHTS])), -1, true));
  }
}

tf.serialization.registerClass(ImageGrayscale);
