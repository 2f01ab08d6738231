/**
 * What a model costs per image, classical and quantum side by side, for the parameter-count comparison:
 * trainable parameters split quantum / classical, classical FLOPs of one forward pass, and the circuit
 * executions (and gates) its quantum layers need for a forward pass and a training step.
 *
 * FLOP convention (stated because conventions differ by 2×): a multiply-add is 2 FLOPs; conv and dense
 * layers count 2·MACs + one bias add per output; pooling and the area resize count one operation per
 * input element read; activations, softmax and reshapes are not counted. Circuit simulation is not
 * counted as FLOPs: on hardware a quantum layer costs circuit executions (each measured with shots),
 * which is what the quantum columns give. Layers of unknown classes are listed in `uncounted`.
 */
import { tf } from '../backend';
import { MODELS, buildModel, parameterSplit, type ParameterSplit } from '../models';
import type { SummaryRow } from '../experiments';
import type { DiffMethod } from '../sim';
import { QuantumLayer } from '../qkc';

/** One model's cost per image. */
export interface ModelCost {
  model: string;
  family: 'hybrid' | 'classical';
  parameters: ParameterSplit;
  /** Classical FLOPs of one forward pass of one image (see the file comment). */
  classicalFlops: number;
  /** Circuit executions for one image's forward pass (0 for classical models). */
  circuitsForward: number;
  /** Circuit executions for one image's gradient (backward pass) with `diffMethod`. */
  circuitsBackward: number;
  /** Gates run on one image's forward pass (executions × gates per circuit, summed over quantum layers). */
  gatesForward: number;
  /** Qubits of the widest circuit (0 for classical models). */
  qubits: number;
  diffMethod: DiffMethod;
  /** Layer classes that were not counted (none for the models of the zoo). */
  uncounted: string[];
}

const IGNORED = new Set(['InputLayer', 'Flatten', 'Reshape', 'Activation', 'Dropout', 'Softmax']);

function product(shape: readonly (number | null)[]): number {
  return shape.slice(1).reduce((a: number, b) => a * (b ?? 0), 1);
}

function shapeOf(t: tf.SymbolicTensor | tf.SymbolicTensor[]): (number | null)[] {
  return (Array.isArray(t) ? t[0] : t).shape;
}

/** Classical FLOPs of one layer for one image, or null when its class is unknown. */
function layerFlops(layer: tf.layers.Layer): number | null {
  const cls = layer.getClassName();
  if (IGNORED.has(cls)) return 0;
  const inShape = shapeOf(layer.input);
  const outShape = shapeOf(layer.output);
  const outputs = product(outShape);
  switch (cls) {
    case 'Conv2D': {
      const [kh, kw, cin] = layer.weights[0].shape as number[];
      return outputs * (2 * kh * kw * cin + (layer.weights.length > 1 ? 1 : 0));
    }
    case 'Dense': {
      const [inputs] = layer.weights[0].shape as number[];
      return outputs * (2 * inputs + (layer.weights.length > 1 ? 1 : 0));
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D':
    case 'ImageResize':
      return product(inShape);
    default:
      return null;
  }
}

/** The cost of `model` (a built tf.LayersModel); `diffMethod` sets the backward circuit count (default parameter-shift). */
export function modelCost(model: tf.LayersModel, opts: { family?: 'hybrid' | 'classical'; diffMethod?: DiffMethod } = {}): ModelCost {
  const diffMethod = opts.diffMethod ?? 'parameter-shift';
  let classicalFlops = 0, circuitsForward = 0, circuitsBackward = 0, gatesForward = 0, qubits = 0;
  const uncounted: string[] = [];
  for (const layer of model.layers) {
    if (layer instanceof QuantumLayer) {
      // The backward count depends on the gradient method: ask for `diffMethod`'s, then restore the layer's.
      const previous = layer.diffMethod;
      layer.diffMethod = diffMethod;
      try {
        const c = layer.cost();
        if (c.perSample == null) throw new Error(`modelCost: quantum layer '${layer.name}' is not built`);
        const gates = Object.values(c.gateCounts).reduce((a, b) => a + b, 0);
        circuitsForward += c.perSample.forward;
        circuitsBackward += c.perSample.backward;
        gatesForward += c.perSample.forward * gates;
        qubits = Math.max(qubits, c.qubits);
      } finally {
        layer.diffMethod = previous;
      }
      continue;
    }
    const f = layerFlops(layer);
    if (f === null) uncounted.push(layer.getClassName());
    else classicalFlops += f;
  }
  const parameters = parameterSplit(model);
  return {
    model: model.name, family: opts.family ?? (circuitsForward > 0 ? 'hybrid' : 'classical'), parameters, classicalFlops,
    circuitsForward, circuitsBackward, gatesForward, qubits, diffMethod, uncounted,
  };
}

/** The cost of every named model of the zoo (default: all of MODELS), each built once with seed 0. */
export function modelCosts(names: readonly string[] = MODELS.map((m) => m.name), opts: { diffMethod?: DiffMethod; imageSize?: [number, number] } = {}): ModelCost[] {
  return names.map((name) => {
    const spec = MODELS.find((m) => m.name === name);
    const model = buildModel(name, 0, opts.imageSize ? { imageSize: opts.imageSize } : undefined);
    try {
      return modelCost(model, { family: spec?.family, diffMethod: opts.diffMethod });
    } finally {
      model.dispose();
    }
  });
}

/**
 * The cost comparison as table records (one per model): parameters quantum / classical / total,
 * classical kFLOPs and circuit executions per image, and — when summary rows are given — test
 * accuracy, seconds per epoch and circuit executions per training epoch measured in those runs.
 */
export function costTable(costs: readonly ModelCost[], rows: readonly SummaryRow[] = []): Record<string, string | number>[] {
  return costs.map((c) => {
    const r = rows.find((x) => x.model === c.model);
    const measured: Record<string, string | number> = r ? {
      'test accuracy %': r.seeds.length > 1 ? `${(100 * r.testAccuracy.mean).toFixed(1)} ± ${(100 * r.testAccuracy.std).toFixed(1)}` : (100 * r.testAccuracy.mean).toFixed(1),
      's / epoch': Number(r.epochTimeS.mean.toFixed(2)),
      'circuits / epoch': r.circuitExecutionsPerEpoch,
    } : {};
    return {
      model: c.model, family: c.family,
      'params quantum': c.parameters.quantum, 'params classical': c.parameters.classical, 'params total': c.parameters.total,
      'classical kFLOPs / image': Number((c.classicalFlops / 1000).toFixed(1)),
      'circuits / image (forward)': c.circuitsForward,
      [`circuits / image (${c.diffMethod} gradient)`]: c.circuitsBackward,
      'gates / image (forward)': c.gatesForward,
      ...measured,
    };
  });
}
