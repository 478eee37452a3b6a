// CSV for the export, safe in every locale: RFC 4180 quoting (CRLF rows; quotes doubled) of any field holding a
// separator a spreadsheet may use (`,`, or `;` and tab, as a French or German Excel does), a quote or a line break;
// and OWASP's guard against formula injection: a text cell that would start a formula (=, +, -, @, tab, CR first) is
// prefixed with a single quote, and so is a field embedded after a separator inside the cell (`x;=1+1`), in case a
// reader splits on that separator. Numbers are written as they are.

export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const EMBEDDED_FORMULA = /([,;\t])(?=[=+\-@])/g;
const NEEDS_QUOTES = /[",;\t\r\n]|^\s|\s$/;

/** One cell as CSV text. */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    return Number.isFinite(value) ? String(value) : '';
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const guarded = value.replace(EMBEDDED_FORMULA, "$1'");
  const text = FORMULA_START.test(guarded) ? `'${guarded}` : guarded;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole document: a header row, then one row per record, CRLF after every row. */
export function toCsv(header: string[], rows: CsvCell[][]): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(','));
  return lines.map((line) => `${line}\r\n`).join('');
}

/** `attachment` with an ASCII filename and its UTF-8 form (RFC 6266), from a campaign title. */
export function contentDisposition(title: string, date: Date): string {
  const day = date.toISOString().slice(0, 10);
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'campaign';
  const ascii = `${slug}-${day}.csv`;
  const utf8 = encodeURIComponent(
    `${title.replace(/[\r\n"]/g, ' ').trim() || 'campaign'}-${day}.csv`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}
