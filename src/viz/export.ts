/**
 * Headless figure export: SVG and PNG through Plotly.toImage in Debian's chromium (driven by
 * playwright-core), plus a standalone offline HTML file. One browser serves many figures.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { BrowserContext, Page } from 'playwright-core';
// Shared with the trainer's checkpoints (temp file + fsync + rename).
import { writeFileAtomic } from '../util/atomic';
import { Figure, checkFigure, figureToJSON } from './figure';
import { figureHtml } from './html';
import { plotlySource } from './plotly-source';

/** The files {@link FigureExporter.export} can write. */
export type FigureFormat = 'svg' | 'png' | 'html';

/** Options for one export. */
export interface ExportOptions {
  /** Which files to write (default: all three). */
  formats?: FigureFormat[];
  /** Image size in CSS pixels (default: the layout's width/height, else 800 × 500). */
  width?: number;
  height?: number;
  /** PNG pixel ratio (default 2: crisp in papers and on high-dpi screens). SVG is unaffected. */
  scale?: number;
}

/** Where each written file went, by format. */
export type ExportedFiles = Partial<Record<FigureFormat, string>>;

/** Options for starting a {@link FigureExporter}. */
export interface ExporterOptions {
  /** The Chromium binary (default: `QKC_CHROMIUM`, else /usr/bin/chromium). */
  executablePath?: string;
  /** Milliseconds one render may take before it fails (default 60 000). */
  timeoutMs?: number;
}

const FORMATS: FigureFormat[] = ['svg', 'png', 'html'];
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The Chromium to use, or null when none is installed (`QKC_CHROMIUM`, else Debian's /usr/bin/chromium). */
export function findChromium(): string | null {
  const candidate = process.env.QKC_CHROMIUM || '/usr/bin/chromium';
  return fs.existsSync(candidate) ? candidate : null;
}

function checkSize(value: number | undefined, name: string, max: number): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new Error(`${name}: expected a positive number up to ${max}, got ${value}`);
  }
}

/** Reads width/height from the layout when the options leave them open. */
function imageSize(fig: Figure, opts: ExportOptions): { width: number; height: number } {
  const fromLayout = (k: 'width' | 'height'): number | undefined =>
    typeof fig.layout?.[k] === 'number' ? (fig.layout[k] as number) : undefined;
  return { width: opts.width ?? fromLayout('width') ?? 800, height: opts.height ?? fromLayout('height') ?? 500 };
}

/**
 * A headless Chromium with plotly.js loaded once (offline: every network request is refused), turning
 * figures into SVG/PNG/HTML files. Start with `FigureExporter.launch()`, always `close()` it.
 */
export class FigureExporter {
  private constructor(private readonly context: BrowserContext, private readonly page: Page,
    private readonly profileDir: string, private readonly timeoutMs: number) {}

  /** Starts Chromium with a fresh, throw-away profile and loads plotly.js into a blank page. */
  static async launch(opts: ExporterOptions = {}): Promise<FigureExporter> {
    const executablePath = opts.executablePath ?? findChromium();
    if (executablePath == null || !fs.existsSync(executablePath)) {
      throw new Error(`FigureExporter: needs Chromium at ${executablePath ?? process.env.QKC_CHROMIUM ?? '/usr/bin/chromium'} ` +
        '(Debian: apt-get install chromium; or set QKC_CHROMIUM to a Chromium binary), found none');
    }
    checkSize(opts.timeoutMs, 'timeoutMs', 3_600_000);
    const { chromium } = await import('playwright-core');
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qkc-chromium-'));
    let context: BrowserContext | undefined;
    try {
      context = await chromium.launchPersistentContext(profileDir, { executablePath, headless: true, args: CHROMIUM_ARGS });
      const page = context.pages()[0] ?? await context.newPage();
      // Figures must not depend on the network (no CDN, no map tiles): refuse every request.
      await page.route('**/*', (route) => route.abort());
      await page.setContent(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><script>${plotlySource()}</script></body></html>`);
      const ok = await page.evaluate(() => typeof (window as unknown as { Plotly?: unknown }).Plotly === 'object');
      if (!ok) throw new Error('FigureExporter: plotly.js did not load in Chromium');
      return new FigureExporter(context, page, profileDir, opts.timeoutMs ?? 60_000);
    } catch (e) {
      await context?.close().catch(() => undefined);
      fs.rmSync(profileDir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Renders `fig` to SVG text or PNG bytes without writing anything. */
  async render(fig: Figure, format: 'svg', opts?: Omit<ExportOptions, 'formats'>): Promise<string>;
  async render(fig: Figure, format: 'png', opts?: Omit<ExportOptions, 'formats'>): Promise<Buffer>;
  async render(fig: Figure, format: 'svg' | 'png', opts: Omit<ExportOptions, 'formats'> = {}): Promise<string | Buffer> {
    checkFigure(fig);
    if (format !== 'svg' && format !== 'png') throw new Error(`format: expected 'svg' or 'png', got '${String(format)}'`);
    checkSize(opts.width, 'width', 10_000);
    checkSize(opts.height, 'height', 10_000);
    checkSize(opts.scale, 'scale', 10);
    const { width, height } = imageSize(fig, opts);
    const args = { json: figureToJSON(fig), format, width, height, scale: format === 'png' ? opts.scale ?? 2 : 1 };
    const work = this.page.evaluate(async (a) => {
      const fig = JSON.parse(a.json) as { data: unknown; layout: unknown; config: unknown };
      const Plotly = (window as unknown as { Plotly: { toImage(f: unknown, o: unknown): Promise<string> } }).Plotly;
      return Plotly.toImage(fig, { format: a.format, width: a.width, height: a.height, scale: a.scale });
    }, args);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`FigureExporter: rendering ${format} took longer than ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    const url = await Promise.race([work, timeout]).finally(() => clearTimeout(timer));
    const comma = url.indexOf(',');
    const header = url.slice(0, comma);
    if (format === 'svg') {
      if (!header.startsWith('data:image/svg+xml')) throw new Error(`FigureExporter: expected an SVG data URL, got '${header}'`);
      return header.endsWith(';base64') ? Buffer.from(url.slice(comma + 1), 'base64').toString('utf8')
        : decodeURIComponent(url.slice(comma + 1));
    }
    if (header !== 'data:image/png;base64') throw new Error(`FigureExporter: expected a PNG data URL, got '${header}'`);
    return Buffer.from(url.slice(comma + 1), 'base64');
  }

  /**
   * Writes `<basePath>.svg`, `.png` and/or `.html` (each atomically) and returns their paths.
   * `basePath` has no extension: `figures/accuracy` → figures/accuracy.svg, …
   */
  async export(fig: Figure, basePath: string, opts: ExportOptions = {}): Promise<ExportedFiles> {
    checkFigure(fig);
    if (typeof basePath !== 'string' || basePath === '') throw new Error(`basePath: expected a file path without extension, got '${String(basePath)}'`);
    if (/\.(svg|png|html)$/i.test(basePath)) {
      throw new Error(`basePath: expected a path without extension (the formats add .svg/.png/.html), got '${basePath}'`);
    }
    const formats = opts.formats ?? FORMATS;
    if (!Array.isArray(formats) || formats.length === 0 || formats.some((f) => !FORMATS.includes(f))) {
      throw new Error(`formats: expected a non-empty list of ${FORMATS.join(', ')}, got ${JSON.stringify(formats)}`);
    }
    const written: ExportedFiles = {};
    for (const format of new Set(formats)) {
      const file = `${basePath}.${format}`;
      const content = format === 'html' ? figureHtml(fig)
        : format === 'svg' ? await this.render(fig, 'svg', opts) : await this.render(fig, 'png', opts);
      await writeFileAtomic(file, content);
      written[format] = file;
    }
    return written;
  }

  /** Closes Chromium and removes its throw-away profile. */
  async close(): Promise<void> {
    try {
      await this.context.close();
    } finally {
      fs.rmSync(this.profileDir, { recursive: true, force: true });
    }
  }
}

/** Exports one figure with a browser of its own; for many figures keep one {@link FigureExporter}. */
export async function exportFigure(fig: Figure, basePath: string, opts: ExportOptions & ExporterOptions = {}): Promise<ExportedFiles> {
  checkFigure(fig);
  const exporter = await FigureExporter.launch(opts);
  try {
    return await exporter.export(fig, basePath, opts);
  } finally {
    await exporter.close();
  }
}
