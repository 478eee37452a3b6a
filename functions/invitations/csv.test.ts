import assert from 'node:assert/strict';
import { CsvError, csvObjects, parseCsv } from './csv.ts';

Deno.test('CSV fields may be quoted, hold commas, quotes and line breaks', () => {
  assert.deepEqual(parseCsv('a,"b, c","say ""hi""","two\nlines"\r\n1,2,3,4\n'), [
    ['a', 'b, c', 'say "hi"', 'two\nlines'],
    ['1', '2', '3', '4'],
  ]);
});

Deno.test('CSV rows become objects keyed by header, empty cells left out, BOM and blank lines ignored', () => {
  const text = '\ufeffEmail, First_Name ,last_name,phone\nada@example.com,Ada,Lovelace,\n\nbob@example.com,Bob,,555\n';
  assert.deepEqual(csvObjects(text), [
    { email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace' },
    { email: 'bob@example.com', first_name: 'Bob', phone: '555' },
  ]);
});

Deno.test('a CSV without an email column or with an open quote is refused', () => {
  assert.throws(() => csvObjects('name\nada\n'), CsvError);
  assert.throws(() => parseCsv('email\n"ada@example.com\n'), CsvError);
});

Deno.test('an empty CSV has no rows', () => {
  assert.deepEqual(csvObjects(''), []);
  assert.deepEqual(csvObjects('email\n'), []);
});
