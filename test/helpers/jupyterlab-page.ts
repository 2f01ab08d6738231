/**
 * Driving a JupyterLab notebook in Chromium (playwright-core) the way a user does: menus, the kernel
 * dialog, Run All; and reading what rendered. Selectors are JupyterLab 4's (requirements.txt pins it).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Page } from 'playwright-core';

/** Clicks a top menu, then an item of it (exact label). */
export async function menu(page: Page, top: string, item: string): Promise<void> {
  await page.locator('.lm-MenuBar-itemLabel', { hasText: new RegExp(`^${top}$`) }).click();
  await page.locator('.lm-Menu-itemLabel', { hasText: new RegExp(`^${item.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).click();
}

/** Opens `file` (relative to the server's notebook folder) in a fresh workspace and waits for its cells. */
export async function openNotebook(page: Page, base: string, token: string, file: string): Promise<void> {
  await page.goto(`${base}/lab/tree/${file.split('/').map(encodeURIComponent).join('/')}?reset&token=${token}`);
  await page.locator('.jp-NotebookPanel .jp-Notebook .jp-Cell').first().waitFor({ timeout: 120_000 });
}

/** Kernel → Change Kernel…, picks the option labelled `label` among the kernels to start, Select. */
export async function pickKernel(page: Page, label: string): Promise<void> {
  await menu(page, 'Kernel', 'Change Kernel…');
  const select = page.locator('.jp-Dialog select');
  const value = await select.locator('option').evaluateAll((opts, want) => {
    const o = (opts as HTMLOptionElement[]).find((x) => x.textContent === want && /^Start /.test((x.parentElement as HTMLOptGroupElement).label));
    return o?.value ?? null;
  }, label);
  if (value == null) {
    const offered = await select.locator('option').allInnerTexts();
    throw new Error(`the kernel dialog offers no '${label}' to start; it offers: ${offered.join(', ')}`);
  }
  await select.selectOption({ value });
  await page.locator('.jp-Dialog-button.jp-mod-accept').click();
  await page.locator('.jp-Dialog').waitFor({ state: 'detached' });
}

/** The input prompt of every code cell, e.g. ['[1]:', '[*]:', '[ ]:']. */
export function prompts(page: Page): Promise<string[]> {
  return page.locator('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt').evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()));
}

/**
 * Clears every output, runs all cells (Run → Run All Cells) and waits until no cell is queued or running.
 * JupyterLab stops Run All at the first cell whose execution fails, leaving the later ones unnumbered.
 */
export async function runAll(page: Page, timeoutMs: number): Promise<void> {
  await menu(page, 'Edit', 'Clear Outputs of All Cells');
  await page.waitForFunction(() => document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output').length === 0);
  await menu(page, 'Run', 'Run All Cells');
  const started = Date.now();
  const deadline = started + timeoutMs;
  for (;;) {
    const p = await prompts(page);
    if (p.every((x) => x === '[ ]:') && Date.now() - started > 30_000) {
      throw new Error(`Run All Cells started no cell within 30 s: prompts ${p.join(' ')}`);
    }
    if (!p.includes('[*]:') && p.some((x) => /^\[\d+\]:$/.test(x))) return;
    if (Date.now() > deadline) throw new Error(`cells still running after ${timeoutMs / 1000} s: prompts ${p.join(' ')}`);
    await page.waitForTimeout(1000);
  }
}

/** What went wrong in the executed notebook: cells that did not run, error and stderr outputs. Empty when clean. */
export async function cellProblems(page: Page): Promise<string[]> {
  return page.locator('.jp-NotebookPanel .jp-CodeCell').evaluateAll((cells) => {
    const out: string[] = [];
    cells.forEach((cell, i) => {
      const prompt = (cell.querySelector('.jp-InputPrompt')?.textContent ?? '').trim();
      if (!/^\[\d+\]:$/.test(prompt)) out.push(`code cell ${i + 1} did not run (prompt ${prompt})`);
      for (const o of Array.from(cell.querySelectorAll('.jp-OutputArea-output'))) {
        const mime = o.getAttribute('data-mime-type');
        if (mime === 'application/vnd.jupyter.stderr' || mime === 'application/vnd.jupyter.error') {
          out.push(`code cell ${i + 1} wrote ${mime}: ${(o.textContent ?? '').trim().slice(0, 800)}`);
        }
      }
    });
    return out;
  });
}

/** Every rendered plotly figure: trace count, whether plotly drew its SVG and its mode bar, size on screen. */
export function plotlyFigures(page: Page): Promise<{ traces: number; svg: boolean; modebar: boolean; width: number; height: number }[]> {
  return page.locator('.jp-NotebookPanel .js-plotly-plot').evaluateAll((els) => els.map((el) => {
    const r = el.getBoundingClientRect();
    return {
      traces: Array.isArray((el as unknown as { data?: unknown[] }).data) ? (el as unknown as { data: unknown[] }).data.length : 0,
      svg: el.querySelector('svg.main-svg') != null, modebar: el.querySelector('.modebar') != null,
      width: r.width, height: r.height,
    };
  }));
}

/** Every image/svg+xml output: its decoded SVG text and whether the browser decoded it to a picture. */
export function svgOutputs(page: Page): Promise<{ svg: string; width: number }[]> {
  return page.locator('.jp-NotebookPanel [data-mime-type="image/svg+xml"] img').evaluateAll((imgs) => imgs.map((img) => {
    const src = (img as HTMLImageElement).src;
    const comma = src.indexOf(',');
    return { svg: decodeURIComponent(src.slice(comma + 1)), width: (img as HTMLImageElement).naturalWidth };
  }));
}

/** The kernel name the notebook toolbar shows (e.g. 'TypeScript', 'No Kernel'). */
export function toolbarKernel(page: Page): Promise<string> {
  return page.locator('.jp-NotebookPanel .jp-Toolbar-kernelName').first().innerText();
}

/**
 * Saves the whole notebook as one PNG: the viewport is made as tall as the notebook's scroll height
 * (up to `maxHeight`), so every cell is in the picture, then set back.
 */
export async function screenshotNotebook(page: Page, file: string, maxHeight = 16_000): Promise<void> {
  const view = page.viewportSize()!;
  const { scroll, client } = await page.locator('.jp-NotebookPanel .jp-WindowedPanel-outer').evaluate((el) => {
    el.scrollTop = 0; // Run All leaves the notebook scrolled to its last cell
    return { scroll: el.scrollHeight, client: el.clientHeight };
  });
  await page.setViewportSize({ width: view.width, height: Math.min(maxHeight, view.height + scroll - client) });
  await page.waitForTimeout(1000); // let plotly's responsive figures settle
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
  await page.setViewportSize(view);
}
