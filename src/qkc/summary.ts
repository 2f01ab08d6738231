/**
 * `summarizeModel`: model.summary() split into quantum and classical parts, for the parameter-count
 * comparison. Quantum layers (any layer with the `isQuantumLayer` marker and a `cost()` report) give
 * qubits and circuit executions; classical Dense / Conv2D / DepthwiseConv2D layers give FLOPs
 * (multiply-adds counted as 2, plus bias adds), so both sides of a hybrid model have a cost figure.
 */
import { tf } from '../backend';
import type { QuantumLayerCost } from './quantum-layer';

/** One row of the summary. */
export interface LayerSummary {
  name: string;
  className: string;
  kind: 'quantum' | 'classical';
  outputShape: string;
  params: number;
  trainableParams: number;
  /** Quantum layers: qubits per circuit. */
  qubits: number | null;
  /** Quantum layers: circuit executions per sample for a forward and a backward pass (current diffMethod). */
  circuits: { forward: number; backward: number } | null;
  /** Classical Dense/Conv layers: FLOPs per sample of the forward pass (null where not counted). */
  flops: number | null;
}

/** The summary: rows, totals and a printable table. */
export interface ModelSummary {
  rows: LayerSummary[];
  totals: {
    params: number;
    trainableParams: number;
    quantumParams: number;
    classicalParams: number;
    circuitsPerSample: { forward: number; backward: number };
    classicalFlopsPerSample: number;
  };
  table: string;
}

type CostReporter = { isQuantumLayer: true; cost(): QuantumLayerCost };

function isCostReporter(layer: unknown): layer is CostReporter {
  return (layer as { isQuantumLayer?: unknown }).isQuantumLayer === true && typeof (layer as { cost?: unknown }).cost === 'function';
}

function outputShapeOf(layer: tf.layers.Layer): (number | null)[] | null {
  try {
    const s = layer.outputShape;
    return Array.isArray(s[0]) ? null : (s as (number | null)[]);
  } catch {
    return null;
  }
}

/** FLOPs per sample of Dense and (depthwise) Conv2D layers; null for layers not counted. */
function classicalFlops(layer: tf.layers.Layer, out: (number | null)[] | null): number | null {
  const cls = layer.getClassName();
  if (!out || out.slice(1).some((d) => d == null) || layer.getWeights().length === 0) return null;
  const kernel = layer.getWeights()[0].shape as number[];
  const useBias = (layer.getConfig() as { useBias?: boolean }).useBias !== false;
  const positions = (out.slice(1, -1) as number[]).reduce((a, b) => a * b, 1);
  const outCh = out[out.length - 1] as number;
  if (cls === 'Dense') return positions * (2 * kernel[0] * kernel[1] + (useBias ? kernel[1] : 0));
  if (cls === 'Conv2D' || cls === 'Conv1D' || cls === 'Conv3D') {
    const macsPerOutput = kernel.slice(0, -1).reduce((a, b) => a * b, 1); // kh·kw·cin
    return positions * outCh * (2 * macsPerOutput + (useBias ? 1 : 0));
  }
  if (cls === 'DepthwiseConv2D') {
    const window = kernel[0] * kernel[1];
    return positions * outCh * (2 * window + (useBias ? 1 : 0));
  }
  return null;
}

function collect(layers: tf.layers.Layer[], rows: LayerSummary[], seen: Set<tf.layers.Layer>): void {
  for (const layer of layers) {
    if (seen.has(layer)) continue;
    seen.add(layer);
    const inner = (layer as unknown as { layers?: unknown }).layers;
    if (Array.isArray(inner)) { collect(inner as tf.layers.Layer[], rows, seen); continue; }
    const out = outputShapeOf(layer);
    const params = layer.countParams();
    const trainableParams = layer.trainable ? layer.trainableWeights.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0) : 0;
    const base = { name: layer.name, className: layer.getClassName(), outputShape: out ? JSON.stringify(out) : 'multiple', params, trainableParams };
    if (isCostReporter(layer)) {
      const c = layer.cost();
      rows.push({ ...base, kind: 'quantum', qubits: c.qubits, circuits: c.perSample, flops: null });
    } else {
      rows.push({ ...base, kind: 'classical', qubits: null, circuits: null, flops: classicalFlops(layer, out) });
    }
  }
}

const fmt = (n: number | null) => (n == null ? '—' : n.toLocaleString('en-US'));

function renderTable(rows: LayerSummary[], totals: ModelSummary['totals']): string {
  const header = ['Layer (type)', 'Output shape', 'Params', 'Kind', 'Qubits', 'Circuits/sample fwd+bwd', 'FLOPs/sample'];
  const body = rows.map((r) => [
    `${r.name} (${r.className})`, r.outputShape, fmt(r.params), r.kind, fmt(r.qubits),
    r.circuits ? `${fmt(r.circuits.forward)} + ${fmt(r.circuits.backward)}` : '—', fmt(r.flops),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i !== 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  const rule = (ch: string) => ch.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  return [
    rule('_'), line(header), rule('='), ...body.map(line), rule('='),
    `Total params: ${fmt(totals.params)} (trainable ${fmt(totals.trainableParams)})`,
    `Quantum params: ${fmt(totals.quantumParams)}    Classical params: ${fmt(totals.classicalParams)}`,
    `Circuit executions per sample: ${fmt(totals.circuitsPerSample.forward)} forward + ${fmt(totals.circuitsPerSample.backward)} backward`,
    `Classical FLOPs per sample (Dense/Conv forward): ${fmt(totals.classicalFlopsPerSample)}`,
    rule('_'),
  ].join('\n');
}

/** Summary of `model` split quantum / classical, with a printable `table`. */
export function summarizeModel(model: tf.LayersModel): ModelSummary {
  if (model == null || !Array.isArray((model as { layers?: unknown }).layers)) throw new Error('summarizeModel(model): expected a tf.LayersModel');
  const rows: LayerSummary[] = [];
  collect(model.layers, rows, new Set());
  const sum = (f: (r: LayerSummary) => number) => rows.reduce((n, r) => n + f(r), 0);
  const totals = {
    params: sum((r) => r.params),
    trainableParams: sum((r) => r.trainableParams),
    quantumParams: sum((r) => (r.kind === 'quantum' ? r.params : 0)),
    classicalParams: sum((r) => (r.kind === 'classical' ? r.params : 0)),
    circuitsPerSample: { forward: sum((r) => r.circuits?.forward ?? 0), backward: sum((r) => r.circuits?.backward ?? 0) },
    classicalFlopsPerSample: sum((r) => r.flops ?? 0),
  };
  return { rows, totals, table: renderTable(rows, totals) };
}
