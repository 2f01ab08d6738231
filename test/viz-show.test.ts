// Figure specs, offline HTML and tables (no browser needed). Display inside a live tslab kernel is
// checked end to end by test/notebooks.test.ts.
import { strict as assert } from 'assert';
import {
  Figure, checkFigure, figureFragmentHtml, figureHtml, figureToJSON, plotlySource, plotlyVersion, showFigure, showTable,
  tableHtml, tableMarkdown, tableText,
} from '../src/viz';

const fig: Figure = {
  data: [{ type: 'scatter', x: [1, 2, 3], y: new Float32Array([0.5, NaN, 0.25]) }],
  layout: { title: { text: 'Loss </script><b>' }, height: 300 },
};

describe('viz: figure specs and HTML', () => {
  it('serializes typed arrays as plain arrays and NaN as a gap (null)', () => {
    assert.deepEqual(JSON.parse(figureToJSON(fig)).data[0].y, [0.5, null, 0.25]);
  });

  it('rejects what is not a figure, naming the field', () => {
    assert.throws(() => checkFigure(null), /fig: expected a plotly figure/);
    assert.throws(() => checkFigure({ data: {} }), /fig\.data: expected an array of traces, got an object/);
    assert.throws(() => checkFigure({ data: [1] }), /fig\.data\[0\]: expected a trace object, got number 1/);
    assert.throws(() => checkFigure({ data: [], layout: [] }), /fig\.layout: expected an object/);
  });

  it('writes a standalone HTML page with plotly inlined and the figure script-safe', () => {
    const html = figureHtml(fig);
    assert.match(plotlyVersion(), /^\d+\.\d+\.\d+/);
    assert.ok(html.includes(plotlySource()), 'plotly.js inlined');
    assert.ok(!/<script[^>]+src=/i.test(html), 'no external script');
    // The title's "</script>" must not end the script element early.
    assert.equal(html.split('</script>').length - 1, 2, 'exactly the two script elements close');
    // Markup in a plotly title (<b>, <br>) is dropped from the page title.
    assert.ok(html.includes('<title>Loss </title>'), 'page title from the layout');
  });

  it('a notebook fragment carries plotly only when asked, and draws into its own div', () => {
    const bare = figureFragmentHtml(fig, { withPlotly: false });
    const full = figureFragmentHtml(fig, { withPlotly: true });
    assert.ok(bare.length < 5_000, `fragment without plotly is ${bare.length} bytes`);
    assert.ok(full.length - bare.length > plotlySource().length - 1_000, 'fragment with plotly inlines it');
    assert.match(bare, /<div id="(qkc-fig-[0-9a-f]{12})" style="width:100%;height:300px">/);
    assert.match(bare, /addEventListener\('qkc-plotly-ready'/);
    const img = figureFragmentHtml(fig, { withPlotly: false, image: new Uint8Array([0x89, 0x50]) });
    assert.match(img, /<img alt="figure" style="max-width:100%" src="data:image\/png;base64,iVA=">/);
  });

  it('a script-free fragment is the image alone (saved notebooks without plotly), and needs one', () => {
    const still = figureFragmentHtml(fig, { withPlotly: false, image: new Uint8Array([0x89, 0x50]), script: false });
    assert.equal(still, '<div><img alt="figure" style="max-width:100%" src="data:image/png;base64,iVA="></div>');
    assert.throws(() => figureFragmentHtml(fig, { withPlotly: false, script: false }), /script: false needs an image/);
    assert.throws(() => showFigure(fig, { htmlScript: false }), /showFigure\(htmlScript\): false needs an image/);
  });

  it('showFigure and showTable outside a running tslab cell say so', () => {
    assert.throws(() => showFigure(fig), /not running inside the tslab Jupyter kernel/);
    assert.throws(() => showTable([{ a: 1 }]), /not running inside the tslab Jupyter kernel/);
    assert.throws(() => showFigure(fig, { inlinePlotly: 'sometimes' as 'once' }), /inlinePlotly \(or QKC_PLOTLY_INLINE\): expected/);
  });
});

describe('viz: tables', () => {
  it('renders records with columns in first-seen order, escaped text and rounded numbers', () => {
    const rows = [{ model: 'hybrid <q>', acc: 0.30000000000000004, params: 1234 }, { model: 'cnn', params: 98, extra: true }];
    const html = tableHtml(rows);
    assert.match(html, /<thead><tr><th>model<\/th><th>acc<\/th><th>params<\/th><th>extra<\/th><\/tr><\/thead>/);
    assert.match(html, /<td>hybrid &lt;q&gt;<\/td><td style="text-align:right">0.3<\/td><td style="text-align:right">1234<\/td><td><\/td>/);
    assert.equal(tableText(rows), [
      '     model  acc  params  extra',
      'hybrid <q>  0.3    1234       ',
      '       cnn           98   true',
    ].join('\n'));
    assert.equal(tableMarkdown([...rows, { model: 'a|b', params: 7 }]), [
      '| model | acc | params | extra |',
      '|---|---|---:|---|',
      '| hybrid <q> | 0.3 | 1234 |  |',
      '| cnn |  | 98 | true |',
      '| a\\|b |  | 7 |  |',
    ].join('\n'));
  });

  it('renders a danfojs DataFrame with its index', function () {
    this.timeout(30_000); // loading danfojs-node
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const dfd = require('danfojs-node') as { DataFrame: new (d: Record<string, unknown[]>) => { columns: string[]; values: unknown[][] } };
    const df = new dfd.DataFrame({ acc: [0.91, 0.875], name: ['a', 'b'] });
    assert.equal(tableHtml(df), '<table class="qkc-table"><thead><tr><th></th><th>acc</th><th>name</th></tr></thead><tbody>' +
      '<tr><th>0</th><td style="text-align:right">0.91</td><td>a</td></tr>' +
      '<tr><th>1</th><td style="text-align:right">0.875</td><td>b</td></tr></tbody></table>');
  });

  it('elides the middle of long tables and says how big they are', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ i }));
    const html = tableHtml(rows, 6);
    assert.equal((html.match(/<tr>/g) ?? []).length, 1 + 6 + 1);
    assert.match(html, /<td style="text-align:right">2<\/td>.*….*<td style="text-align:right">97<\/td>/);
    assert.match(html, /100 rows × 1 columns/);
  });

  it('rejects what is not a table, naming the argument', () => {
    assert.throws(() => tableHtml(5 as unknown as []), /table: expected a danfojs DataFrame or an array of records, got number/);
    assert.throws(() => tableHtml([{ a: 1 }, [2]] as unknown as []), /table\[1\]: expected a record \(plain object\), got an array/);
  });
});
