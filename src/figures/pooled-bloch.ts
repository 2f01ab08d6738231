/** The pooled-Bloch figure: sampled Bloch vectors of the pooled qubits per digit class and their lengths (from `pooledBlochVectors`). */
import type { PooledBloch } from '../analysis';
import { type Figure, type Trace, CLASS_COLORS, COLORS, FONT_SIZES, baseLayout, panelTitle, subplotAxes, subplotGrid, titleLayout } from '../viz';

/**
 * One row per kept qubit: the sampled pooled Bloch vectors projected on the x–z plane inside the unit
 * circle (colour = digit class), and the per-class |r| quartiles (1 = pure, lower = entangled with the
 * dropped qubits).
 */
export function pooledBlochFigure(b: PooledBloch, opts: { title?: string } = {}): Figure {
  if (!b || b.kind !== 'pooled-bloch') throw new Error('pooledBlochFigure(b): expected the result of pooledBlochVectors');
  const rows = b.kept.length;
  const cells = subplotGrid(rows, 2, { xGap: 0.1, yGap: rows > 1 ? 0.12 : 0 });
  const data: Trace[] = [];
  const annotations: Record<string, unknown>[] = [];
  const circle = Array.from({ length: 97 }, (_, i) => (2 * Math.PI * i) / 96);
  const labels = [...new Set(b.samples.map((s) => s[0]))].sort((x, y) => x - y);
  b.kept.forEach((qubit, j) => {
    const [disk, box] = [cells[2 * j], cells[2 * j + 1]];
    annotations.push(panelTitle(disk, `pooled qubit ${qubit}: Bloch vectors (x–z plane)`), panelTitle(box, `pooled qubit ${qubit}: length |r| per class`));
    data.push({ type: 'scatter', mode: 'lines', x: circle.map(Math.cos), y: circle.map(Math.sin), line: { color: COLORS.reference, width: 1 }, hoverinfo: 'skip', showlegend: false, xaxis: disk.xaxis, yaxis: disk.yaxis });
    for (const label of labels) {
      const pts = b.samples.filter((s) => s[0] === label && s[1] === j);
      data.push({
        type: 'scatter', mode: 'markers', name: `digit ${label}`, legendgroup: `c${label}`, showlegend: j === 0,
        x: pts.map((s) => s[2]), y: pts.map((s) => s[4]), marker: { color: CLASS_COLORS[label % 10], size: 4, opacity: 0.55 },
        xaxis: disk.xaxis, yaxis: disk.yaxis, hovertemplate: `digit ${label}<br>x %{x:.2f}, z %{y:.2f}<extra></extra>`,
      });
    }
    if (b.blank) {
      const v = b.blank[j];
      data.push({ type: 'scatter', mode: 'markers', name: 'blank patch', legendgroup: 'blank', showlegend: j === 0, x: [v[0]], y: [v[2]], marker: { color: 'black', size: 11, symbol: 'x' }, xaxis: disk.xaxis, yaxis: disk.yaxis });
    }
    const byClass = b.qubits[j].byClass;
    data.push({
      type: 'scatter', mode: 'markers', name: 'median |r| (bars: quartiles)', legendgroup: 'median', showlegend: j === 0,
      x: byClass.map((c) => String(c.label)), y: byClass.map((c) => c.lengthQuartiles[1]),
      error_y: { type: 'data', symmetric: false, array: byClass.map((c) => c.lengthQuartiles[2] - c.lengthQuartiles[1]), arrayminus: byClass.map((c) => c.lengthQuartiles[1] - c.lengthQuartiles[0]), thickness: 1.5, width: 5 },
      marker: { color: byClass.map((c) => CLASS_COLORS[c.label % 10]), size: 10, symbol: 'diamond' }, xaxis: box.xaxis, yaxis: box.yaxis,
    });
  });
  return {
    data,
    layout: {
      title: titleLayout(opts.title ?? `Pooled qubits in the Bloch ball (${b.images} images × ${b.patchesPerImage} patches; blank patches left out)`),
      ...baseLayout(),
      ...subplotAxes(cells, (cell) => (cell.col === 0
        ? { range: [-1.1, 1.1], title: { text: 'x = ⟨X⟩' }, zeroline: true, zerolinecolor: COLORS.grid, gridcolor: COLORS.gridLight, constrain: 'domain' }
        : { type: 'category', title: { text: 'digit class' } }), (cell) => (cell.col === 0
        ? { range: [-1.1, 1.1], title: { text: 'z = ⟨Z⟩' }, scaleanchor: cell.xaxis, zeroline: true, zerolinecolor: COLORS.grid, gridcolor: COLORS.gridLight, constrain: 'domain' }
        : { range: [0, 1.05], title: { text: '|r| (1 = pure)' }, gridcolor: COLORS.grid })),
      annotations,
      legend: { x: 1.02, xanchor: 'left', y: 1, yanchor: 'top', font: { size: FONT_SIZES.legend } },
      width: 1000, height: 430 * rows + 110, margin: { l: 70, r: 30, t: 90, b: 80 },
    },
  };
}
