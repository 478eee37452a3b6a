import assert from 'node:assert/strict';
import { contentDisposition, csvCell, toCsv } from './csv.ts';

Deno.test('a plain cell is written as it is, and null is an empty cell', () => {
  assert.equal(csvCell('Ada'), 'Ada');
  assert.equal(csvCell(3.25), '3.25');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(undefined), '');
  assert.equal(csvCell(true), 'true');
});

Deno.test('commas, quotes and line breaks are quoted with doubled quotes (RFC 4180)', () => {
  assert.equal(csvCell('Lovelace, Ada'), '"Lovelace, Ada"');
  assert.equal(csvCell('She said "hi"'), '"She said ""hi"""');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell('cr\r'), '"cr\r"');
  assert.equal(csvCell(' padded '), '" padded "');
});

Deno.test('a text cell a spreadsheet would run as a formula is neutralised with a quote', () => {
  assert.equal(csvCell('=HYPERLINK("http://evil")'), `"'=HYPERLINK(""http://evil"")"`);
  assert.equal(csvCell('+1 555'), "'+1 555");
  assert.equal(csvCell('-2'), "'-2");
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell(-2), '-2', 'numbers are data, not formulas');
});

Deno.test('a document has a header and CRLF after every row', () => {
  assert.equal(toCsv(['a', 'b'], [[1, 'x,y'], [null, 'z']]), 'a,b\r\n1,"x,y"\r\n,z\r\n');
  assert.equal(toCsv(['only'], []), 'only\r\n', 'no rows still gives the header');
});

Deno.test('the attachment name is ASCII and safe, with the UTF-8 title beside it', () => {
  const value = contentDisposition('Ingénieur "backend"\r\n/../etc', new Date('2026-11-26T10:00:00Z'));
  assert.equal(
    value,
    `attachment; filename="ingenieur-backend-etc-2026-11-26.csv"; ` +
      `filename*=UTF-8''${encodeURIComponent('Ingénieur  backend   /../etc-2026-11-26.csv')}`,
  );
  assert.ok(!/[\r\n]/.test(value));
  assert.match(contentDisposition('***', new Date('2026-01-02T00:00:00Z')), /filename="campaign-2026-01-02\.csv"/);
});
