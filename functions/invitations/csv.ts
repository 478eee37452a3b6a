// CSV uploads of invitations (RFC 4180: quoted fields, doubled quotes, CRLF or LF, a header row). Columns are
// matched by header name, case-insensitively; unknown columns are ignored. Empty cells count as absent.

export class CsvError extends Error {
  override name = 'CsvError';
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

/** Splits CSV text into records of fields. Throws CsvError on an unterminated quote. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a BOM (spreadsheet exports)
  let fieldStarted = false;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      fieldStarted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      if (record.length > 1 || record[0] !== '') records.push(record);
      record = [];
      field = '';
      fieldStarted = false;
      line++;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) throw new CsvError('a quoted field is not closed', line);
  record.push(field);
  if (record.length > 1 || record[0] !== '') records.push(record);
  return records;
}

/** Records as objects keyed by the lowercased, trimmed header; empty cells are left out. */
export function csvObjects(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  const names = header.map((h) => h.trim().toLowerCase());
  if (!names.includes('email')) throw new CsvError('the header row must name an `email` column', 1);
  return rows.map((row) => {
    const object: Record<string, string> = {};
    names.forEach((name, index) => {
      const value = (row[index] ?? '').trim();
      if (name && value !== '') object[name] = value;
    });
    return object;
  });
}
