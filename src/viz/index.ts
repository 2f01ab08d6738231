/** Figures and tables: plotly specs, headless SVG/PNG/HTML export, and rich display in the tslab kernel. */
export { checkFigure, figureToJSON } from './figure';
export type { Figure, Trace } from './figure';
export { figureHtml, figureTitle } from './html';
export type { FigureHtmlOptions } from './html';
export { plotlySource, plotlyVersion } from './plotly-source';
export { FigureExporter, exportFigure, findChromium } from './export';
export type { ExportOptions, ExporterOptions, ExportedFiles, FigureFormat } from './export';
export { showFigure, showTable, figureFragmentHtml } from './show';
export type { ShowFigureOptions, InlinePlotly } from './show';
export { tableHtml, tableMarkdown, tableText, toTableData, formatCell } from './table';
export type { TableLike, TableData } from './table';
export { plotlyInlineMode } from './show';
export { displayFigure, renderPng, closeSharedRenderer } from './notebook-figure';
export type { DisplayFigureOptions } from './notebook-figure';
export { subplotGrid, subplotAxes, panelTitle } from './subplots';
export type { SubplotCell, SubplotGridOptions } from './subplots';
export { heatmapGridFigure } from './heatmap-grid';
export type { HeatmapPanel, HeatmapGridOptions } from './heatmap-grid';
