/**
 * `displayFigure`: what notebooks call to show a figure. It is `showFigure` plus, for notebooks that
 * are committed with their outputs, a PNG rendering of the same figure: `npm run notebooks:execute`
 * runs the kernels with QKC_PLOTLY_INLINE=never, so the saved notebook does not carry plotly.js
 * (4.8 MB) and GitHub, which runs no scripts, shows the picture instead (the HTML fallback is then just
 * that picture). In a live session (default 'once') the figure is interactive and no PNG is rendered
 * unless asked.
 *
 * The PNG comes from one headless Chromium per kernel (see FigureExporter), started on first use and
 * closed after a short idle period, so a finished notebook leaves no browser behind.
 */
import { FigureExporter, findChromium } from './export';
import { Figure, checkFigure } from './figure';
import { InlinePlotly, plotlyInlineMode, showFigure } from './show';

/** Options of {@link displayFigure}. */
export interface DisplayFigureOptions {
  /** Passed to showFigure (default from QKC_PLOTLY_INLINE, else 'once'). */
  inlinePlotly?: InlinePlotly;
  /**
   * Attach a PNG rendering: true, false, or 'auto' (default): exactly when plotly is not inlined
   * ('never') and Chromium is installed.
   */
  image?: boolean | 'auto';
  /** PNG pixel ratio (default 1: the figure's CSS size, which keeps notebook files small; the PNG rides twice, as image/png and inside the HTML fallback). */
  scale?: number;
}

/** Milliseconds of no rendering after which the shared browser is closed. */
const IDLE_CLOSE_MS = 20_000;

let shared: Promise<FigureExporter> | null = null;
let idleTimer: NodeJS.Timeout | null = null;
let active = 0;

function scheduleClose(): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    idleTimer = null;
    if (active > 0 || !shared) return;
    const closing = shared;
    shared = null;
    void closing.then((e) => e.close()).catch(() => undefined);
  }, IDLE_CLOSE_MS);
  idleTimer.unref(); // never keeps a script alive
}

/** Renders `fig` to PNG bytes with the shared per-process browser. */
export async function renderPng(fig: Figure, opts: { scale?: number } = {}): Promise<Buffer> {
  checkFigure(fig);
  if (!shared) {
    shared = FigureExporter.launch();
    shared.catch(() => { shared = null; });
  }
  active++;
  try {
    const exporter = await shared;
    return await exporter.render(fig, 'png', { scale: opts.scale ?? 1 });
  } finally {
    active--;
    scheduleClose();
  }
}

/** Closes the shared browser now (scripts that want to exit promptly; notebooks need not call it). */
export async function closeSharedRenderer(): Promise<void> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const closing = shared;
  shared = null;
  if (closing) await closing.then((e) => e.close()).catch(() => undefined);
}

/** Shows `fig` in the tslab kernel, with a PNG rendering when committed notebooks need one; see the file comment. */
export async function displayFigure(fig: Figure, opts: DisplayFigureOptions = {}): Promise<void> {
  checkFigure(fig);
  const mode = plotlyInlineMode(opts.inlinePlotly);
  const want = opts.image ?? 'auto';
  if (want !== true && want !== false && want !== 'auto') throw new Error(`image: expected true, false or 'auto', got ${String(want)}`);
  const withImage = want === true || (want === 'auto' && mode === 'never' && findChromium() !== null);
  const image = withImage ? await renderPng(fig, { scale: opts.scale }) : undefined;
  // Saved without plotly.js ('never'), the HTML fallback could only ever show the image: leave the
  // figure's JSON and script out of it (the plotly MIME entry still carries the data).
  showFigure(fig, { inlinePlotly: mode, image, htmlScript: !(mode === 'never' && image) });
}
