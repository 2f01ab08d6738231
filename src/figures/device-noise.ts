/** The device-noise figure: test accuracy of trained hybrids noiseless and under IBM device snapshots (from `qkc noise-eval` results). */
import { type Figure, type Trace, COLORS, baseLayout, titleLayout } from '../viz';
import type { NoiseEvalRecord } from '../device';

/** Where `qkc noise-eval --out` results are kept for the figures and notebook 05. */
export const DEVICE_NOISE_DIR = 'device-noise';
/** The command that writes one of those results. */
export const NOISE_EVAL_COMMAND = 'npx qkc noise-eval --model-dir figures/results/full-official-models/<run id> --dataset mnist-official --device fake_manila,fake_lima,fake_nairobi --shots 1024 --test-size 500 --out figures/results/device-noise/official-<model>-s<seed>.json';

const PALETTE = [COLORS.orange, COLORS.vermillion, COLORS.purple, COLORS.green, COLORS.sky];

/**
 * Grouped bars per model: noiseless accuracy, then for each device the exact (density-matrix) accuracy
 * (solid) and the finite-shot accuracy (hatched), on the same test images.
 */
export function deviceNoiseFigure(records: readonly NoiseEvalRecord[], opts: { title?: string } = {}): Figure {
  if (!records || records.length === 0) throw new Error('deviceNoiseFigure(records): expected at least one noise-eval result');
  const models = records.map((r) => `${r.model}<br>(${r.seed == null ? "" : `seed ${r.seed}, `}${r.samples} images)`);
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
      yaxis: { title: { text: 'test accuracy (%)' }, range: [Math.max(0, Math.floor(Math.min(...all) - 2)), 100], gridcolor: COLORS.grid },
      legend: { orientation: 'h', x: 0.5, xanchor: 'center', y: -0.2, yanchor: 'top' },
      width: Math.max(1000, 170 * records.length), height: 520, margin: { l: 70, r: 30, t: 80, b: 140 },
    },
  };
}

const pct2 = (v: number): string => (100 * v).toFixed(2);
const sci = (v: number | null | undefined): string => (v == null || !Number.isFinite(v) ? '—' : v.toExponential(1));
const gateList = (g: Record<string, number>): string => Object.entries(g).sort(([a], [b]) => a.localeCompare(b)).map(([n, c]) => `${n} ${c}`).join(', ');
const calibrationDay = (c: string | null): string => (c ? c.slice(0, 10) : 'date unknown');

/** `model` and its seed as a table cell ('hybrid-small (seed 0)'). */
function modelCell(r: NoiseEvalRecord): string {
  return r.seed == null ? r.model : `${r.model} (seed ${r.seed})`;
}

/**
 * The README's device-noise table: one row per record × device with noiseless, device-exact and sampled
 * accuracy on the same test images, the transpiled circuits (a pooling block after its kernel), and the
 * cross-check against Aer (max |Δ| on the check windows; max |sampled − exact|·√shots).
 */
export function deviceNoiseMarkdown(records: readonly NoiseEvalRecord[]): string {
  if (!records || records.length === 0) throw new Error('deviceNoiseMarkdown(records): expected at least one noise-eval result');
  const shots = [...new Set(records.flatMap((r) => r.devices.map((d) => d.shots?.shots)).filter((s): s is number => s !== undefined))];
  const windows = [...new Set(records.flatMap((r) => r.devices.flatMap((d) => d.kernels.map((k) => k.aer?.windows))).filter((w): w is number => w !== undefined))];
  const rows = [
    `| model | test images | device (calibration) | noiseless % | device exact % | ${shots.length === 1 ? `${shots[0]} shots` : 'shots'} % | transpiled circuits | qkc vs Aer max \\|Δ\\| (${windows.length === 1 ? `${windows[0]} windows` : 'check windows'}) | sampled vs exact, max \\|Δ\\|·√shots | qkc s, exact / shots |`,
    '|---|---:|---|---:|---:|---:|---|---:|---:|---:|',
  ];
  for (const r of records) {
    for (const d of r.devices) {
      const aer = d.kernels.map((k) => k.aer);
      const maxOf = (f: (a: NonNullable<(typeof aer)[number]>) => number | null) => {
        const v = aer.map((a) => (a ? f(a) : null)).filter((x): x is number => x !== null);
        return v.length ? Math.max(...v) : null;
      };
      const sampledZ = maxOf((a) => a.maxShotZ);
      rows.push(`| ${[
        modelCell(r), r.samples, `${d.device.name} v${d.device.version} (${calibrationDay(d.device.calibrated)})`, pct2(r.noiseless.accuracy), pct2(d.exact.accuracy),
        d.shots ? pct2(d.shots.accuracy) : '—', d.kernels.map((k, i) => `${i > 0 ? `${k.layer.replace(/^.*_/, '')}: ` : ''}${gateList(k.gates)}`).join('; '),
        sci(maxOf((a) => a.maxAbsExact)), sampledZ == null ? '—' : sampledZ.toFixed(2),
        `${d.exact.seconds.toFixed(0)} / ${d.shots ? d.shots.seconds.toFixed(0) : '—'}`,
      ].join(' | ')} |`);
    }
  }
  return rows.join('\n');
}

/** Seconds of one noisy evaluation, wall clock and CPU (all threads), exact and with shots (null: not run). */
export interface EvalSeconds { exact: { wall: number; cpu: number | null }; shots: { wall: number; cpu: number | null } | null }

/**
 * How long the noisy evaluation of a whole test set takes in qkc and in Aer on the same transpiled
 * circuits: qkc measured on every image; Aer measured on every circuit of a subset's images (`--aer-full`)
 * and scaled by images (circuits per image are fixed), said so in `aer.extrapolated`.
 */
export interface FullSetTiming {
  model: string; seed: number | null; device: string; shots: number | null;
  /** Test images of the whole set, and circuits (patch rows, all quantum layers) they need. */
  images: number; circuits: number;
  /** qkc's whole noisy model evaluation (classical layers included) on every image. */
  qkc: EvalSeconds;
  aer: { images: number; circuits: number; measured: EvalSeconds; atFullSet: EvalSeconds; extrapolated: boolean };
  /** The same subset circuits run by qkc's superoperator executor (exact), for a like-for-like ratio. */
  qkcOnAerSubset: { wall: number; cpu: number | null };
  /** max |qkc − Aer| over every exact expectation of the subset's circuits. */
  maxAbsExact: number;
  /** The records this was computed from. */
  sources: { qkc: string; aer: string };
}

/** `FullSetTiming` of `qkc` (a noise-eval of the whole set) and `aer` (a `--aer-full` noise-eval on a subset) of one model on one device. */
export function fullSetTiming(qkc: NoiseEvalRecord, aer: NoiseEvalRecord, sources: { qkc: string; aer: string }): FullSetTiming {
  const dq = qkc.devices, da = aer.devices;
  if (dq.length !== 1 || da.length !== 1) throw new Error(`fullSetTiming: expected one device in each record, got ${dq.length} and ${da.length}`);
  if (qkc.checkpoint !== aer.checkpoint || dq[0].device.name !== da[0].device.name) {
    throw new Error(`fullSetTiming: expected the same model and device, got ${qkc.checkpoint} on ${dq[0].device.name} and ${aer.checkpoint} on ${da[0].device.name}`);
  }
  const checks = da[0].kernels.map((k) => k.aer);
  if (checks.some((a) => a === null)) throw new Error(`fullSetTiming: ${sources.aer} has a kernel without an Aer check`);
  const a = checks as NonNullable<(typeof checks)[number]>[];
  const sum = (f: (x: (typeof a)[number]) => number | null | undefined): number | null => {
    const v = a.map(f);
    return v.some((x) => x == null) ? null : v.reduce<number>((s, x) => s + (x as number), 0);
  };
  const circuits = sum((x) => x.windows) as number;
  const scale = qkc.samples / aer.samples;
  const aerShots = sum((x) => x.seconds.aerShots);
  const measured: EvalSeconds = {
    exact: { wall: sum((x) => x.seconds.aerExact) as number, cpu: sum((x) => x.cpuSeconds?.aerExact) },
    shots: aerShots == null ? null : { wall: aerShots, cpu: sum((x) => x.cpuSeconds?.aerShots) },
  };
  const scaled = (s: { wall: number; cpu: number | null }) => ({ wall: s.wall * scale, cpu: s.cpu == null ? null : s.cpu * scale });
  return {
    model: qkc.model, seed: qkc.seed, device: dq[0].device.name, shots: dq[0].shots?.shots ?? null,
    images: qkc.samples, circuits: Math.round(circuits * scale),
    qkc: { exact: { wall: dq[0].exact.seconds, cpu: dq[0].exact.cpuSeconds ?? null }, shots: dq[0].shots ? { wall: dq[0].shots.seconds, cpu: dq[0].shots.cpuSeconds ?? null } : null },
    aer: { images: aer.samples, circuits, measured, atFullSet: { exact: scaled(measured.exact), shots: measured.shots ? scaled(measured.shots) : null }, extrapolated: scale !== 1 },
    qkcOnAerSubset: { wall: sum((x) => x.seconds.qkcFused) as number, cpu: sum((x) => x.cpuSeconds?.qkcFused) },
    maxAbsExact: Math.max(...a.map((x) => x.maxAbsExact)),
    sources,
  };
}

/** `FullSetTiming` as a Markdown table (wall and CPU seconds; Aer's full-set figures marked as extrapolated when they are). */
export function fullSetTimingMarkdown(t: FullSetTiming): string {
  const s = (v: number | null | undefined) => (v == null ? '—' : v < 100 ? v.toFixed(1) : v.toFixed(0));
  const cell = (e: EvalSeconds['exact'] | null) => (e ? `${s(e.wall)} / ${s(e.cpu)}` : '—');
  const n = (v: number) => v.toLocaleString('en-US');
  const ext = t.aer.extrapolated ? ` (extrapolated ×${(t.images / t.aer.images).toFixed(0)} from ${n(t.aer.images)} images)` : '';
  return [
    `| ${t.model}${t.seed == null ? '' : ` seed ${t.seed}`} on ${t.device}, ${n(t.images)} test images (${n(t.circuits)} circuits) | exact: wall s / CPU s | ${t.shots ?? '—'} shots: wall s / CPU s |`,
    '|---|---:|---:|',
    `| qkc, the whole model under device noise (measured on all ${n(t.images)} images) | ${cell(t.qkc.exact)} | ${cell(t.qkc.shots)} |`,
    `| Qiskit Aer, density_matrix, same transpiled circuits and noise model: measured on the ${n(t.aer.circuits)} circuits of ${n(t.aer.images)} images | ${cell(t.aer.measured.exact)} | ${cell(t.aer.measured.shots)} |`,
    `| Qiskit Aer, whole test set${ext} | ${cell(t.aer.atFullSet.exact)} | ${cell(t.aer.atFullSet.shots)} |`,
    `| qkc superoperator executor on the same ${n(t.aer.circuits)} circuits (max \\|Δ\\| to Aer ${t.maxAbsExact.toExponential(1)}) | ${s(t.qkcOnAerSubset.wall)} / ${s(t.qkcOnAerSubset.cpu)} | — |`,
  ].join('\n');
}

/** One sentence under the table: how many models × devices, the largest accuracy loss exact and with shots (where), the worst qkc–Aer agreement. */
export function deviceNoiseSummary(records: readonly NoiseEvalRecord[]): string {
  const rows = records.flatMap((r) => r.devices.map((d) => ({ r, d })));
  if (rows.length === 0) throw new Error('deviceNoiseSummary(records): expected at least one device evaluation');
  const worst = (loss: (x: (typeof rows)[number]) => number | null) => rows.filter((x) => loss(x) !== null).reduce((a, b) => (loss(b)! > loss(a)! ? b : a), rows.find((x) => loss(x) !== null) ?? rows[0]);
  const exactLoss = (x: (typeof rows)[number]) => x.r.noiseless.accuracy - x.d.exact.accuracy;
  const shotLoss = (x: (typeof rows)[number]) => (x.d.shots ? x.r.noiseless.accuracy - x.d.shots.accuracy : null);
  const pts = (v: number) => `${(100 * v).toFixed(1)} points`;
  const where = (x: (typeof rows)[number]) => `${x.r.model} on ${x.d.device.name}`;
  const e = worst(exactLoss), s = worst(shotLoss);
  const aer = rows.flatMap((x) => x.d.kernels.map((k) => k.aer?.maxAbsExact ?? null)).filter((v): v is number => v !== null);
  return `${records.length} model(s) × ${new Set(rows.map((x) => x.d.device.name)).size} device(s): the largest loss under device noise is ${pts(exactLoss(e))} exact (${where(e)})` +
    (shotLoss(s) === null ? '' : ` and ${pts(shotLoss(s)!)} with ${s.d.shots!.shots} shots (${where(s)})`) +
    (aer.length ? `; qkc and Aer agree to ≤ ${Math.max(...aer).toExponential(1)} on every checked expectation.` : '.');
}

/** The noisy layers of a record as a label: their class names joined by ' + ' ('all' for an older record without the fields). */
function noisyLabel(r: NoiseEvalRecord): string {
  if (!r.quantumLayers || !r.noisyLayers) return 'all quantum layers';
  return r.noisyLayers.map((i) => r.quantumLayers![i].className).join(' + ') + (r.noisyLayers.length === r.quantumLayers.length ? ' (all)' : ' only');
}

/**
 * The per-layer device-noise table (`qkc noise-eval --noisy-layers … --head-shift`): one row per record ×
 * device, saying which quantum layers ran under the device's noise (the others noiseless), the exact
 * accuracy and its loss against noiseless, how far the last quantum layer's outputs (the classical head's
 * input) moved from the noiseless model's, and each noisy layer's own shift on the inputs it received.
 * Rows by model, then device, then the noisy layers (fewest first).
 */
export function perLayerNoiseMarkdown(records: readonly NoiseEvalRecord[]): string {
  if (!records || records.length === 0) throw new Error('perLayerNoiseMarkdown(records): expected at least one noise-eval result');
  const rows = records.flatMap((r) => r.devices.map((d) => ({ r, d })));
  const key = (x: (typeof rows)[number]) => [x.r.model, x.d.device.name, String(x.r.noisyLayers?.length ?? 99).padStart(2, '0'), (x.r.noisyLayers ?? []).join(',')];
  rows.sort((a, b) => { const ka = key(a), kb = key(b); return ka.map((v, i) => v.localeCompare(kb[i])).find((c) => c !== 0) ?? 0; });
  const shift = (s: { meanAbs: number } | undefined) => (s ? s.meanAbs.toFixed(3) : '—');
  const lines = [
    '| model | test images | device | device noise on | noiseless % | exact % | loss (points) | head input: mean \\|Δ\\| vs noiseless model | head input: noiseless std | each noisy layer\'s own mean \\|Δ\\| |',
    '|---|---:|---|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const { r, d } of rows) {
    lines.push(`| ${[
      modelCell(r), r.samples, d.device.name, noisyLabel(r), pct2(r.noiseless.accuracy), pct2(d.exact.accuracy), (100 * (r.noiseless.accuracy - d.exact.accuracy)).toFixed(1),
      shift(d.headShift), d.headShift ? d.headShift.noiselessStd.toFixed(3) : '—',
      d.kernels.map((k) => `${k.layer.replace(/^.*_/, '')} ${shift(k.shift)}`).join('; '),
    ].join(' | ')} |`);
  }
  return lines.join('\n');
}

/**
 * One sentence per model with several quantum layers and device where each layer alone and all of them
 * were measured: the losses of each layer alone, their sum, and the loss with all layers noisy.
 */
export function perLayerNoiseSummary(records: readonly NoiseEvalRecord[]): string {
  const out: string[] = [];
  const pts = (v: number) => (100 * v).toFixed(1);
  for (const model of [...new Set(records.map((r) => `${r.model}|${r.seed}|${r.checkpoint}`))]) {
    const mine = records.filter((r) => `${r.model}|${r.seed}|${r.checkpoint}` === model && r.quantumLayers && r.noisyLayers);
    const n = mine[0]?.quantumLayers?.length ?? 0;
    if (n < 2) continue;
    const alone = Array.from({ length: n }, (_, i) => mine.find((r) => r.noisyLayers!.length === 1 && r.noisyLayers![0] === i));
    const both = mine.find((r) => r.noisyLayers!.length === n);
    if (!both || alone.some((r) => !r)) continue;
    const parts = both.devices.flatMap((d) => {
      const loss = (r: NoiseEvalRecord) => { const e = r.devices.find((x) => x.device.name === d.device.name); return e ? r.noiseless.accuracy - e.exact.accuracy : null; };
      const each = alone.map((r) => loss(r!));
      if (each.some((v) => v === null)) return [];
      const sum = (each as number[]).reduce((a, b) => a + b, 0);
      return [`${d.device.name}: ${each.map((v, i) => `${pts(v!)} (${alone[i]!.quantumLayers![i].className} alone)`).join(' + ')} = ${pts(sum)} points if the losses added, ${pts(loss(both)!)} with ${n === 2 ? 'both' : `all ${n}`} noisy`];
    });
    if (parts.length) out.push(`${mine[0].model}${mine[0].seed == null ? '' : ` (seed ${mine[0].seed})`}, accuracy lost under device noise, exact — ${parts.join('; ')}.`);
  }
  return out.join('\n\n');
}
