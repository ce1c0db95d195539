import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

describe('toCsv', () => {
  it('writes a header and CRLF lines, quoting fields with commas, quotes or line breaks', () => {
    expect(
      toCsv({
        columns: ['name', 'value', 'note'],
        rows: [
          ['web, front', 1.5, 'say "hi"'],
          ['db', null, 'two\nlines'],
          ['cache', Number.NaN, undefined],
        ],
      }),
    ).toBe('name,value,note\r\n"web, front",1.5,"say ""hi"""\r\ndb,,"two\nlines"\r\ncache,,\r\n');
  });

  it('defuses cells a spreadsheet would run as a formula, but not negative numbers', () => {
    expect(toCsv({ columns: ['a'], rows: [['=HYPERLINK("x")'], ['@SUM(A1)'], ['-1'], [-2], ['+x']] })).toBe(
      `a\r\n"'=HYPERLINK(""x"")"\r\n'@SUM(A1)\r\n-1\r\n-2\r\n'+x\r\n`,
    );
  });
});
