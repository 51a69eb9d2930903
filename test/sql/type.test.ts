import { describe, expect, it } from 'vitest';
import { ParseFailedException } from '../../engine/errors/index.js';
import { formatType, parseColumnList, parseType } from '../../engine/sql/index.js';
import { noSpans } from './helpers.js';

const t = (text: string): unknown => noSpans(parseType(text));

describe('types', () => {
  it.each([
    ['BOOLEAN', 'BOOLEAN'], ['INT', 'INTEGER'], ['integer', 'INTEGER'], ['BIGINT', 'BIGINT'], ['DOUBLE', 'DOUBLE'],
    ['VARCHAR', 'STRING'], ['STRING', 'STRING'], ['BYTES', 'BYTES'], ['TIMESTAMP', 'TIMESTAMP'], ['DATE', 'DATE'], ['TIME', 'TIME'],
  ])('%s', (text, name) => {
    expect(t(text)).toEqual({ kind: 'PrimitiveType', name });
  });

  it('reads DECIMAL(p, s) and checks it', () => {
    expect(t('DECIMAL(4, 2)')).toEqual({ kind: 'DecimalType', precision: 4, scale: 2 });
    expect(() => parseType('DECIMAL')).toThrow(ParseFailedException);
    expect(() => parseType('DECIMAL(2, 3)')).toThrow(ParseFailedException);
    expect(() => parseType('DECIMAL(0, 0)')).toThrow(ParseFailedException);
  });

  it('reads nested ARRAY, MAP and STRUCT', () => {
    expect(formatType(parseType('ARRAY<MAP<STRING, STRUCT<a INT, `B` ARRAY<DECIMAL(2,1)>>>>')))
      .toBe('ARRAY<MAP<STRING, STRUCT<`A` INTEGER, `B` ARRAY<DECIMAL(2, 1)>>>>');
    expect(t('STRUCT<>')).toEqual({ kind: 'StructType', fields: [] });
    expect(t('STRUCT< >')).toEqual({ kind: 'StructType', fields: [] });
    expect(t('INT ARRAY')).toEqual({ kind: 'ArrayType', element: { kind: 'PrimitiveType', name: 'INTEGER' } });
  });

  it('keeps other names as custom types', () => {
    expect(t('address')).toEqual({ kind: 'CustomType', name: 'ADDRESS' });
    expect(t('`Addr`')).toEqual({ kind: 'CustomType', name: 'Addr' });
  });

  it('accepts VARCHAR(STRING) and rejects other parameters', () => {
    expect(t('VARCHAR(STRING)')).toEqual({ kind: 'PrimitiveType', name: 'STRING' });
    expect(() => parseType('INT(3)')).toThrow(ParseFailedException);
  });

  it('rejects NULL as a type', () => {
    for (const text of ['NULL', 'ARRAY<NULL>', 'STRUCT<fo NULL>']) expect(() => parseType(text)).toThrow('Syntax Error');
  });
});

describe('column lists (QTT post.sources schema)', () => {
  it('reads elements with constraints', () => {
    expect(noSpans(parseColumnList("ID BIGINT KEY, K2 INT PRIMARY KEY, NAME STRING, H BYTES HEADER('k'), HS ARRAY<STRUCT<KEY STRING, VALUE BYTES>> HEADERS"))).toEqual([
      { name: 'ID', type: { kind: 'PrimitiveType', name: 'BIGINT' }, constraint: { kind: 'Key' } },
      { name: 'K2', type: { kind: 'PrimitiveType', name: 'INTEGER' }, constraint: { kind: 'PrimaryKey' } },
      { name: 'NAME', type: { kind: 'PrimitiveType', name: 'STRING' } },
      { name: 'H', type: { kind: 'PrimitiveType', name: 'BYTES' }, constraint: { kind: 'Header', key: 'k' } },
      {
        name: 'HS',
        type: { kind: 'ArrayType', element: { kind: 'StructType', fields: [
          { name: 'KEY', type: { kind: 'PrimitiveType', name: 'STRING' } },
          { name: 'VALUE', type: { kind: 'PrimitiveType', name: 'BYTES' } },
        ] } },
        constraint: { kind: 'Headers' },
      },
    ]);
  });

  it('reads quoted names and an empty list', () => {
    expect(noSpans(parseColumnList('`id` STRING KEY'))).toEqual([{ name: 'id', type: { kind: 'PrimitiveType', name: 'STRING' }, constraint: { kind: 'Key' } }]);
    expect(parseColumnList('  ')).toEqual([]);
  });
});
