/**
 * The dependency picture of src/, computed from the imports themselves, so ARCHITECTURE.md cannot drift:
 *
 *   npm run architecture            rewrites the generated block of ARCHITECTURE.md (folders, roles, imports)
 *   npm run architecture -- --check exits 1 when that block is stale, a folder imports one above it, or files import in a cycle
 *
 * test/architecture.test.ts runs the same checks. LAYERS is the one place that says which folder sits
 * above which: a folder may import only folders of lower layers (folders of one layer import neither
 * each other). A new folder must be added here, with its one-line role.
 */
import * as fs from 'fs';
import * as path from 'path';

/** src/ folders from the bottom up, each with its one-line role. `index.ts` is the package entry above all. */
export const LAYERS: ReadonlyArray<Readonly<Record<string, string>>> = [
  { util: 'seeded randomness, atomic writes, argument checks and typed errors, reading JSON files back, the Jacobi eigen-solver, the project\'s Python' },
  { backend: 'picks the TensorFlow.js backend (tfjs-node / wasm / cpu) once', viz: 'plotly figure specs, the one figure style, headless SVG/PNG/HTML export, tables, notebook display' },
  { sim: 'circuits, state vectors, density matrices, noise, measurement, gradients, QASM, drawings; the execution decision' },
  { inspect: 'quantum-information quantities of batched states (entropies, purity, Bloch vectors, …)' },
  { qkc: 'QuantumConv2D and the quantum-layer base (cost, capture, config), model summaries and files' },
  { pooling: 'pool blocks, pairing schedules, in-kernel pooling and the QuantumPooling layer' },
  { data: 'MNIST / IDX datasets, splits, preprocessing, PCA features', train: 'the hybrid trainer: options, optimizer groups, checkpoints, metrics, evaluation' },
  { models: 'the model zoo: hybrid designs and their classical controls, the fully quantum QCNNs, registry, parameter splits', analysis: 'capture of patch states and the estimators of the pooling studies (entanglement maps, probes, mutual information, purity, shots)', device: 'device noise: quantum layers (QuantumConv2D kernels, QuantumPooling blocks) transpiled by Qiskit for IBM device snapshots, run under their calibrated noise through the execution decision (superoperator executor), Aer cross-check, noise-eval' },
  { experiments: 'the reproduction suite (planning, run specs, result files, single runs, reading runs back) and the runs built like it: design search, recipe screen, the fully quantum QCNN study and its fitted inputs' },
  { studies: 'studies of trained models beyond the suite: the entanglement analysis run, the pooling study, shots and noise robustness' },
  { figures: 'every figure and cost table, drawn from saved or fresh results; the figure catalogue behind npm run figures; the README\'s generated blocks and the refresh after new runs' },
  { cli: 'the qkc command' },
];

/** Root of the repository. */
const ROOT = path.resolve(__dirname, '..');

/** Every .ts file under `dir`, as paths relative to the repository root with '/' separators. */
function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...tsFiles(rel));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(rel);
  }
  return out.sort();
}

/** Relative module specifiers of a source text: import/export … from, bare imports, require() and import(). */
function relativeSpecifiers(text: string): string[] {
  const specs: string[] = [];
  const re = /(?:\bfrom\s+|\bimport\s+|\brequire\(\s*|\bimport\(\s*)['"](\.{1,2}\/[^'"]*)['"]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) specs.push(m[1]);
  return specs;
}

/** The .ts file a relative specifier from `from` names (x.ts or x/index.ts), or null (JSON, outside src). */
function resolve(from: string, spec: string): string | null {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const candidate of [`${base}.ts`, `${base}/index.ts`]) {
    if (fs.existsSync(path.join(ROOT, candidate))) return candidate;
  }
  return null;
}

/** File → files it imports (src only, type-only imports included: they tie files together just the same). */
export function fileGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of tsFiles('src')) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const deps = relativeSpecifiers(text).map((s) => resolve(file, s)).filter((f): f is string => f !== null && f.startsWith('src/'));
    graph.set(file, [...new Set(deps)].sort());
  }
  return graph;
}

/** The top-level folder of a src file ('index.ts' for src/index.ts). */
export function folderOf(file: string): string {
  return file.split('/')[1];
}

/** Folder → folders it imports (other than itself). */
export function folderGraph(files: Map<string, string[]> = fileGraph()): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const [file, deps] of files) {
    const from = folderOf(file);
    const set = out.get(from) ?? new Set<string>();
    for (const d of deps) if (folderOf(d) !== from) set.add(folderOf(d));
    out.set(from, set);
  }
  return new Map([...out].map(([k, v]) => [k, [...v].sort()]));
}

/** Import cycles between files (each as the files around it), by Tarjan's strongly connected components. */
export function fileCycles(files: Map<string, string[]> = fileGraph()): string[][] {
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], on = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index); low.set(v, index); index++; stack.push(v); on.add(v);
    for (const w of files.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1 || (files.get(v) ?? []).includes(v)) cycles.push(comp.sort());
    }
  };
  for (const v of files.keys()) if (!idx.has(v)) visit(v);
  return cycles;
}

/** Layer number of each folder (index.ts, the package entry, sits above every layer). */
export function layerOf(): Map<string, number> {
  const m = new Map<string, number>();
  LAYERS.forEach((layer, i) => { for (const f of Object.keys(layer)) m.set(f, i); });
  m.set('index.ts', LAYERS.length);
  return m;
}

/** Problems with the folder picture: folders missing from LAYERS, and imports that do not go down a layer. */
export function layerViolations(folders: Map<string, string[]> = folderGraph()): string[] {
  const layer = layerOf();
  const problems: string[] = [];
  for (const f of folders.keys()) if (!layer.has(f)) problems.push(`src/${f} is not in LAYERS (scripts/architecture.ts): add it with its role`);
  for (const f of layer.keys()) if (f !== 'index.ts' && !folders.has(f)) problems.push(`LAYERS names src/${f}, which does not exist`);
  for (const [from, tos] of folders) {
    for (const to of tos) {
      const a = layer.get(from), b = layer.get(to);
      if (a === undefined || b === undefined) continue;
      if (b >= a) problems.push(`src/${from} imports src/${to}, which is ${b === a ? 'on the same layer' : 'above it'} (see LAYERS in scripts/architecture.ts)`);
    }
  }
  return problems;
}

/** The generated Markdown: one row per folder, top layer first, with its role and the folders it imports. */
export function dependencyTable(folders: Map<string, string[]> = folderGraph()): string {
  const rows = ['| layer | folder | role | imports |', '|---:|---|---|---|'];
  rows.push(`| ${LAYERS.length} | \`src/index.ts\` | the package entry (\`import … from 'qkc'\`): re-exports every folder's index | ${(folders.get('index.ts') ?? []).join(', ')} |`);
  for (let i = LAYERS.length - 1; i >= 0; i--) {
    for (const [f, role] of Object.entries(LAYERS[i])) {
      const deps = folders.get(f) ?? [];
      rows.push(`| ${i} | \`src/${f}\` | ${role} | ${deps.length ? deps.join(', ') : '—'} |`);
    }
  }
  return rows.join('\n');
}

/**
 * Inside one folder (src/sim): which of its subfolders import which ('.' = the folder's own top-level
 * files), as Markdown. Shown, not enforced: the folder's owner keeps it one-way.
 */
export function subfolderTable(folder: string, files: Map<string, string[]> = fileGraph()): string {
  const prefix = `src/${folder}/`;
  const part = (f: string): string => { const rest = f.slice(prefix.length).split('/'); return rest.length > 1 ? `${rest[0]}/` : '.'; };
  const edges = new Map<string, Set<string>>();
  for (const [file, deps] of files) {
    if (!file.startsWith(prefix)) continue;
    const from = part(file);
    const set = edges.get(from) ?? new Set<string>();
    for (const d of deps) if (d.startsWith(prefix) && part(d) !== from) set.add(part(d));
    edges.set(from, set);
  }
  const rows = [`| src/${folder}/… | imports (within src/${folder}) |`, '|---|---|'];
  for (const [from, tos] of [...edges].sort(([a], [b]) => a.localeCompare(b))) rows.push(`| \`${from}\` | ${tos.size ? [...tos].sort().map((t) => `\`${t}\``).join(', ') : '—'} |`);
  return rows.join('\n');
}

const BEGIN = '<!-- generated by npm run architecture: begin -->';
const END = '<!-- generated by npm run architecture: end -->';
const DOC = path.join(ROOT, 'ARCHITECTURE.md');

/** ARCHITECTURE.md with its generated block replaced by the current table. */
export function updatedArchitectureDoc(doc: string = fs.readFileSync(DOC, 'utf8')): string {
  const a = doc.indexOf(BEGIN), b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`ARCHITECTURE.md: expected the markers ${BEGIN} … ${END}`);
  const files = fileGraph();
  const block = `${dependencyTable(folderGraph(files))}\n\nInside \`src/sim\`:\n\n${subfolderTable('sim', files)}`;
  return `${doc.slice(0, a + BEGIN.length)}\n${block}\n${doc.slice(b)}`;
}

function main(argv: string[]): number {
  const problems = [...layerViolations(), ...fileCycles().map((c) => `import cycle between files: ${c.join(' → ')}`)];
  const doc = fs.readFileSync(DOC, 'utf8');
  const updated = updatedArchitectureDoc(doc);
  if (argv.includes('--check')) {
    if (updated !== doc) problems.push('ARCHITECTURE.md: the generated dependency table is stale; run npm run architecture');
  } else if (updated !== doc) {
    fs.writeFileSync(DOC, updated);
    console.log('ARCHITECTURE.md: dependency table updated');
  }
  for (const p of problems) console.error(p);
  return problems.length ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
