// Headless figure export through Debian's chromium. Without chromium the rendering tests say why and
// skip, except under CI=true where that is a failure. The rendered files are checked by an independent
// route: a plain chromium page (no plotly) parses the SVG as XML, decodes the PNG and opens the HTML offline.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, Browser, Page } from 'playwright-core';
import { Figure, FigureExporter, exportFigure, findChromium } from '../src/viz';
import { needs } from './helpers/optional';
import { pngSize } from './helpers/png';

const scatter: Figure = {
  data: [
    { type: 'scatter', mode: 'lines+markers', name: 'hybrid', x: [1, 2, 3, 4, 5], y: new Float32Array([0.61, 0.78, 0.85, 0.88, 0.9]) },
    { type: 'scatter', mode: 'lines+markers', name: 'classical', x: [1, 2, 3, 4, 5], y: [0.55, 0.72, 0.8, 0.84, 0.86] },
  ],
  layout: {
    title: { text: 'Test accuracy per epoch' },
    xaxis: { title: { text: 'epoch number' } },
    yaxis: { title: { text: 'test accuracy' } },
  },
};

describe('viz: figure export (headless chromium)', function () {
  this.timeout(120_000); // loading plotly.js into chromium takes seconds on a busy 2-core machine
  let exporter: FigureExporter | undefined;
  let checker: Browser | undefined;
  let page: Page;
  let dir = '';

  before(async function () {
    const exe = findChromium();
    needs(this, exe == null ? 'no chromium at /usr/bin/chromium (apt-get install chromium) or QKC_CHROMIUM' : null);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qkc-viz-'));
    exporter = await FigureExporter.launch();
    checker = await chromium.launch({ executablePath: exe!, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    page = await checker.newPage();
    // Offline: only file:// loads may succeed.
    await page.route((u) => u.protocol !== 'file:', (r) => r.abort());
  });

  after(async () => {
    await exporter?.close();
    await checker?.close();
    if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes SVG, PNG and HTML of a scatter figure, atomically (no temp files left)', async () => {
    const files = await exporter!.export(scatter, path.join(dir, 'accuracy'), { width: 640, height: 400, scale: 2 });
    assert.deepEqual(files, { svg: path.join(dir, 'accuracy.svg'), png: path.join(dir, 'accuracy.png'), html: path.join(dir, 'accuracy.html') });
    assert.deepEqual(fs.readdirSync(dir).sort(), ['accuracy.html', 'accuracy.png', 'accuracy.svg']);
  });

  it('the SVG parses as SVG of the requested size with the title and axis titles', async () => {
    const svg = fs.readFileSync(path.join(dir, 'accuracy.svg'), 'utf8');
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const err = doc.getElementsByTagName('parsererror')[0];
      const texts = Array.from(doc.getElementsByTagName('text')).map((t) => t.textContent ?? '');
      const root = doc.documentElement;
      return { error: err ? err.textContent : null, root: root.localName, ns: root.namespaceURI,
        width: root.getAttribute('width'), height: root.getAttribute('height'), texts };
    }, svg);
    assert.equal(parsed.error, null);
    assert.equal(parsed.root, 'svg');
    assert.equal(parsed.ns, 'http://www.w3.org/2000/svg');
    assert.equal(parsed.width, '640');
    assert.equal(parsed.height, '400');
    for (const t of ['Test accuracy per epoch', 'epoch number', 'test accuracy', 'hybrid', 'classical']) {
      assert.ok(parsed.texts.includes(t), `SVG text '${t}' missing; found ${JSON.stringify(parsed.texts.slice(0, 20))}`);
    }
  });

  it('the PNG has the right signature and IHDR size (width·scale × height·scale) and is not blank', async () => {
    const png = fs.readFileSync(path.join(dir, 'accuracy.png'));
    assert.deepEqual(pngSize(png), { width: 1280, height: 800 });
    assert.ok(png.length > 20_000 && png.length < 2_000_000, `PNG of ${png.length} bytes`);
    // Decode independently and count coloured (non-grey) pixels: the two traces must be there.
    const stats = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.naturalWidth; c.height = img.naturalHeight;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const px = ctx.getImageData(0, 0, c.width, c.height).data;
      let coloured = 0;
      for (let i = 0; i < px.length; i += 4) if (Math.max(px[i], px[i + 1], px[i + 2]) - Math.min(px[i], px[i + 1], px[i + 2]) > 60) coloured++;
      return { w: img.naturalWidth, h: img.naturalHeight, coloured };
    }, png.toString('base64'));
    assert.equal(stats.w, 1280);
    assert.ok(stats.coloured > 2000, `only ${stats.coloured} coloured pixels`);
  });

  it('the HTML is standalone: plotly inlined, no external scripts, and it draws offline', async () => {
    const file = path.join(dir, 'accuracy.html');
    const html = fs.readFileSync(file, 'utf8');
    assert.ok(!/<script[^>]+src=/i.test(html), 'no <script src=…>');
    assert.ok(html.includes('plotly.js v'), 'plotly.js inlined');
    await page.goto(`file://${file}`);
    await page.waitForSelector('#qkc-figure .main-svg', { timeout: 60_000 });
    const titles = await page.$$eval('#qkc-figure text', (ts) => ts.map((t) => t.textContent));
    assert.ok(titles.includes('epoch number') && titles.includes('test accuracy'));
  });

  it('reuses one browser for several figures and formats on request', async () => {
    const bar: Figure = { data: [{ type: 'bar', x: ['a', 'b'], y: [1, 2] }], layout: { width: 300, height: 200 } };
    const a = await exporter!.export(bar, path.join(dir, 'sub', 'bar'), { formats: ['png'], scale: 1 });
    assert.deepEqual(Object.keys(a), ['png']);
    assert.deepEqual(pngSize(fs.readFileSync(a.png!)), { width: 300, height: 200 }); // size from the layout
    const svg = await exporter!.render(bar, 'svg');
    assert.match(svg, /^<svg[^>]* width="300" height="200"/);
  });

  it('exportFigure launches and closes its own browser', async () => {
    const files = await exportFigure(scatter, path.join(dir, 'once'), { formats: ['svg'] });
    assert.match(fs.readFileSync(files.svg!, 'utf8'), /epoch number/);
  });

  it('rejects bad arguments with named errors', async () => {
    await assert.rejects(exporter!.export({ data: 'x' } as unknown as Figure, path.join(dir, 'x')), /fig\.data: expected an array/);
    await assert.rejects(exporter!.export(scatter, path.join(dir, 'x.png')), /basePath: expected a path without extension/);
    await assert.rejects(exporter!.export(scatter, path.join(dir, 'x'), { formats: ['jpeg' as 'png'] }), /formats: expected/);
    await assert.rejects(exporter!.export(scatter, path.join(dir, 'x'), { width: -1 }), /width: expected a positive number/);
    assert.ok(!fs.existsSync(path.join(dir, 'x.svg')));
  });
});

describe('viz: exporter without chromium', () => {
  it('says which chromium it needs', async () => {
    await assert.rejects(FigureExporter.launch({ executablePath: '/nonexistent/chromium' }), /needs Chromium at \/nonexistent\/chromium/);
  });
});
