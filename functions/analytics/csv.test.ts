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
  assert.equal(
    csvCell('=HYPERLINK("http://evil")'),
    `"'=HYPERLINK(""http://evil"")"`,
  );
  assert.equal(csvCell('+1 555'), "'+1 555");
  assert.equal(csvCell('-2'), "'-2");
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell(-2), '-2', 'numbers are data, not formulas');
});

Deno.test('cells stay whole and inert where the separator is a semicolon or a tab (French Excel, TSV readers)', () => {
  assert.equal(csvCell('x;=1+1'), `"x;'=1+1"`);
  assert.equal(csvCell('a\t=cmd|calc'), `"a\t'=cmd|calc"`);
  assert.equal(
    csvCell('Dupont; Marie'),
    '"Dupont; Marie"',
    'a semicolon alone is quoted, nothing else changes',
  );
  assert.equal(
    csvCell('\t=1+1'),
    `"'\t'=1+1"`,
    'a leading tab starts a formula in some readers, and splits the cell there',
  );
  assert.equal(csvCell('a,@SUM(A1)'), `"a,'@SUM(A1)"`);
  assert.equal(
    csvCell('Jean-Pierre'),
    'Jean-Pierre',
    'a hyphen inside a name is no formula',
  );
  for (const sep of [',', ';', '\t']) {
    const line = toCsv(['a', 'b'], [['x' + sep + '=2*3', 'y']]).split('\r\n')[1];
    const fields = line.split(
      sep === ',' ? /,(?=(?:[^"]*"[^"]*")*[^"]*$)/ : sep,
    );
    for (const field of fields) {
      assert.doesNotMatch(
        field.replace(/^"/, ''),
        /^[=+\-@]/,
        `${JSON.stringify(sep)}: ${line}`,
      );
    }
  }
});

Deno.test('a document has a header and CRLF after every row', () => {
  assert.equal(
    toCsv(['a', 'b'], [[1, 'x,y'], [null, 'z']]),
    'a,b\r\n1,"x,y"\r\n,z\r\n',
  );
  assert.equal(
    toCsv(['only'], []),
    'only\r\n',
    'no rows still gives the header',
  );
});

Deno.test('the attachment name is ASCII and safe, with the UTF-8 title beside it', () => {
  const value = contentDisposition(
    'Ingénieur "backend"\r\n/../etc',
    new Date('2026-11-26T10:00:00Z'),
  );
  assert.equal(
    value,
    `attachment; filename="ingenieur-backend-etc-2026-11-26.csv"; ` +
      `filename*=UTF-8''${encodeURIComponent('Ingénieur  backend   /../etc-2026-11-26.csv')}`,
  );
  assert.ok(!/[\r\n]/.test(value));
  assert.match(
    contentDisposition('***', new Date('2026-01-02T00:00:00Z')),
    /filename="campaign-2026-01-02\.csv"/,
  );
});
