/** Tables as HTML and text: danfojs DataFrames or arrays of records, for notebooks and reports. */

/** What `showTable` accepts: a danfojs DataFrame (anything with `columns` and row `values`) or records. */
export type TableLike = { columns: string[]; values: unknown[][]; index?: unknown[] } | Record<string, unknown>[];

/** A table as header + rows of cells, the one shape the renderers below read. */
export interface TableData {
  columns: string[];
  rows: unknown[][];
  /** Row labels (a DataFrame's index); omitted for records. */
  index?: unknown[];
}

function isFrame(t: unknown): t is { columns: string[]; values: unknown[][]; index?: unknown[] } {
  return typeof t === 'object' && t !== null && !Array.isArray(t) &&
    Array.isArray((t as { columns?: unknown }).columns) && Array.isArray((t as { values?: unknown }).values);
}

/**
 * Reads a danfojs DataFrame (duck-typed, so qkc need not load danfojs) or an array of records (columns
 * in first-seen key order; a missing key is an empty cell). Anything else is an Error naming `argName`.
 */
export function toTableData(table: unknown, argName = 'table'): TableData {
  if (isFrame(table)) {
    const rows = table.values.map((r) => (Array.isArray(r) ? r : [r]));
    const index = Array.isArray(table.index) ? table.index : undefined;
    return { columns: table.columns.map(String), rows, index };
  }
  if (Array.isArray(table)) {
    const columns: string[] = [];
    table.forEach((r, i) => {
      if (typeof r !== 'object' || r === null || Array.isArray(r)) {
        throw new Error(`${argName}[${i}]: expected a record (plain object), got ${Array.isArray(r) ? 'an array' : typeof r}`);
      }
      for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
    });
    return { columns, rows: (table as Record<string, unknown>[]).map((r) => columns.map((c) => r[c])) };
  }
  throw new Error(`${argName}: expected a danfojs DataFrame or an array of records, got ${table === null ? 'null' : typeof table}`);
}

function isTableData(t: unknown): t is TableData {
  return typeof t === 'object' && t !== null && !Array.isArray(t) && Array.isArray((t as { rows?: unknown }).rows);
}

/** A cell as text: numbers to 6 significant digits (no float noise like 0.30000000000000004). */
export function formatCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Which rows to show: all up to `maxRows`, else the first and last halves around an ellipsis (null). */
function visibleRows(n: number, maxRows: number): (number | null)[] {
  if (n <= maxRows) return Array.from({ length: n }, (_, i) => i);
  const head = Math.ceil(maxRows / 2);
  const tail = maxRows - head;
  return [...Array.from({ length: head }, (_, i) => i), null, ...Array.from({ length: tail }, (_, i) => n - tail + i)];
}

/** An HTML <table> (numbers right-aligned, long tables elided in the middle after `maxRows`). */
export function tableHtml(table: TableLike | TableData, maxRows = 60): string {
  const t = isTableData(table) ? table : toTableData(table);
  const hasIndex = t.index !== undefined;
  const head = `<tr>${hasIndex ? '<th></th>' : ''}${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = visibleRows(t.rows.length, maxRows).map((i) => {
    if (i === null) return `<tr><td colspan="${t.columns.length + (hasIndex ? 1 : 0)}" style="text-align:center">…</td></tr>`;
    const label = hasIndex ? `<th>${escapeHtml(formatCell(t.index?.[i]))}</th>` : '';
    const cells = t.rows[i].map((v) =>
      `<td${typeof v === 'number' ? ' style="text-align:right"' : ''}>${escapeHtml(formatCell(v))}</td>`).join('');
    return `<tr>${label}${cells}</tr>`;
  }).join('');
  const caption = t.rows.length > maxRows ? `<caption style="caption-side:bottom">${t.rows.length} rows × ${t.columns.length} columns</caption>` : '';
  return `<table class="qkc-table">${caption}<thead>${head}</thead><tbody>${body}</tbody></table>`;
}

/** The same table as aligned plain text (the text/plain fallback, and for logs). */
export function tableText(table: TableLike | TableData, maxRows = 60): string {
  const t = isTableData(table) ? table : toTableData(table);
  const hasIndex = t.index !== undefined;
  const lines: string[][] = [[...(hasIndex ? [''] : []), ...t.columns]];
  for (const i of visibleRows(t.rows.length, maxRows)) {
    if (i === null) lines.push(['…']);
    else lines.push([...(hasIndex ? [formatCell(t.index?.[i])] : []), ...t.rows[i].map(formatCell)]);
  }
  const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => (l[c] ?? '').length)));
  return lines.map((l) => l.map((cell, c) => cell.padStart(widths[c])).join('  ')).join('\n');
}

/** The same table as GitHub-flavoured Markdown (every row; numbers right-aligned; `|` in cells escaped). */
export function tableMarkdown(table: TableLike | TableData): string {
  const t = isTableData(table) ? table : toTableData(table);
  const esc = (v: unknown): string => formatCell(v).replace(/\|/g, '\\|');
  const columns = [...(t.index !== undefined ? [''] : []), ...t.columns];
  const rows = t.rows.map((r, i) => [...(t.index !== undefined ? [t.index[i]] : []), ...r]);
  const numeric = columns.map((_, c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number'));
  return [
    `| ${columns.map(esc).join(' | ')} |`,
    `|${numeric.map((n) => (n ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
