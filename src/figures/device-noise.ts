/** The device-noise figure: test accuracy of trained hybrids noiseless and under IBM device snapshots (from `qkc noise-eval` results). */
import { type Figure, type Trace, COLORS, baseLayout, titleLayout } from '../viz';
import type { NoiseEvalRecord } from '../device';

/** Where `qkc noise-eval --out` results are kept for the figures and notebook 05. */
export const DEVICE_NOISE_DIR = 'device-noise';
/** The command that writes one of those results. */
export const NOISE_EVAL_COMMAND = 'npx qkc noise-eval --model-dir runs/<run> --device fake_manila,fake_lima,fake_nairobi --shots 1024 --out figures/results/device-noise/<model>.json';

const PALETTE = [COLORS.orange, COLORS.vermillion, COLORS.purple, COLORS.green, COLORS.sky];

/**
 * Grouped bars per model: noiseless accuracy, then for each device the exact (density-matrix) accuracy
 * (solid) and the finite-shot accuracy (hatched), on the same test images.
 */
export function deviceNoiseFigure(records: readonly NoiseEvalRecord[], opts: { title?: string } = {}): Figure {
  if (!records || records.length === 0) throw new Error('deviceNoiseFigure(records): expected at least one noise-eval result');
  const models = records.map((r) => `${r.model}<br>(${r.samples} images)`);
  const devices = [...new Set(records.flatMap((r) => r.devices.map((d) => d.device.name)))];
  const pct = (v: number | undefined) => (v === undefined ? null : 100 * v);
  const data: Trace[] = [{ type: 'bar', name: 'noiseless', x: models, y: records.map((r) => pct(r.noiseless.accuracy)), marker: { color: COLORS.blue } }];
  devices.forEach((name, i) => {
    const find = (r: NoiseEvalRecord) => r.devices.find((d) => d.device.name === name);
    const color = PALETTE[i % PALETTE.length];
    data.push({ type: 'bar', name: `${name} exact`, x: models, y: records.map((r) => pct(find(r)?.exact.accuracy)), marker: { color } });
    const shots = records.map((r) => find(r)?.shots?.shots).find((s) => s !== undefined);
    if (shots !== undefined) {
      data.push({ type: 'bar', name: `${name} ${shots} shots`, x: models, y: records.map((r) => pct(find(r)?.shots?.accuracy)), marker: { color, pattern: { shape: '/' } } });
    }
  });
  const all = data.flatMap((t) => (t.y as (number | null)[]).filter((v): v is number => v !== null));
  return {
    data,
    layout: {
      title: titleLayout(opts.title ?? 'Trained hybrids under IBM device noise (transpiled by Qiskit, simulated by qkc)'),
      ...baseLayout(), barmode: 'group',
      xaxis: { tickangle: 0 },
      yaxis: { title: { text: 'test accuracy (%)' }, range: [Math.max(0, Math.floor(Math.min(...all) - 5)), 100], gridcolor: COLORS.grid },
      legend: { orientation: 'h', x: 0.5, xanchor: 'center', y: -0.15, yanchor: 'top' },
      width: 1000, height: 520, margin: { l: 70, r: 30, t: 80, b: 140 },
    },
  };
}
