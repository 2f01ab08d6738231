/** A digit beside the feature maps a quantum layer makes of it (one panel per output channel). */
import { tf } from '../backend';
import { type Figure, type HeatmapPanel, COLOR_SCALES, heatmapGridFigure } from '../viz';

/** Rows of a [H, W] (or [H, W, 1]) tensor as plain arrays. */
function rows2d(t: tf.Tensor, name: string): number[][] {
  const shape = t.shape;
  if (!(t.rank === 2 || (t.rank === 3 && shape[2] === 1) || (t.rank === 4 && shape[0] === 1 && shape[3] === 1))) {
    throw new Error(`featureMapsFigure(${name}): expected one grayscale image [H, W], [H, W, 1] or [1, H, W, 1], got shape [${shape.join(', ')}]`);
  }
  const [h, w] = (t.rank === 4 ? shape.slice(1, 3) : shape.slice(0, 2)) as [number, number];
  return tf.tidy(() => t.reshape([h, w]).arraySync() as number[][]);
}

/** Options of {@link featureMapsFigure}. */
export interface FeatureMapsOptions {
  title?: string;
  /** Panel titles of the channels (default ⟨Z_q⟩ for channel q). */
  channelNames?: string[];
  /** Colour range of the maps (default [−1, 1], the range of ⟨Z⟩). */
  range?: [number, number];
}

/**
 * `image` (one grayscale image) and `maps` ([h, w, C] or [1, h, w, C]: a layer's output for it) as a
 * row of heatmaps: the image in grey, then each channel on a diverging scale.
 */
export function featureMapsFigure(image: tf.Tensor, maps: tf.Tensor, opts: FeatureMapsOptions = {}): Figure {
  const m: tf.Tensor = maps.rank === 4 && maps.shape[0] === 1 ? tf.squeeze(maps, [0]) : maps;
  try {
    if (m.rank !== 3) throw new Error(`featureMapsFigure(maps): expected [h, w, channels] or [1, h, w, channels], got shape [${maps.shape.join(', ')}]`);
    const channels = m.shape[2] as number;
    const names = opts.channelNames ?? Array.from({ length: channels }, (_, q) => `⟨Z${q}⟩`);
    if (names.length !== channels) throw new Error(`featureMapsFigure(channelNames): expected ${channels} names, got ${names.length}`);
    const [lo, hi] = opts.range ?? [-1, 1];
    const values = m.arraySync() as number[][][];
    const panels: HeatmapPanel[] = [
      { title: `input ${(image.rank === 4 ? image.shape.slice(1, 3) : image.shape.slice(0, 2)).join('×')}`, z: rows2d(image, 'image'), colorscale: COLOR_SCALES.image, zmin: 0 },
      ...names.map((name, c): HeatmapPanel => ({
        title: `${name} ${m.shape[0]}×${m.shape[1]}`, z: values.map((row) => row.map((cell) => cell[c])), colorscale: COLOR_SCALES.diverging, zmin: lo, zmax: hi,
        colorbar: c === channels - 1, colorbarTitle: 'value',
      })),
    ];
    return heatmapGridFigure(panels, { title: opts.title, cols: Math.min(panels.length, 5) });
  } finally {
    if (m !== maps) m.dispose();
  }
}
