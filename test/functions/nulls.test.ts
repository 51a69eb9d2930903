import { describe, expect, it } from 'vitest';
import { SqlTypes } from '../../engine/types/sql-type.js';
import { arr, big, call, int, nul, resolve, str, typed } from './helpers.js';

const { INTEGER, STRING } = SqlTypes;

describe('IFNULL / NULLIF / COALESCE (null.json)', () => {
  it('if null with nested structs', () => {
    expect(call('ifnull', int(1), int(10))).toBe(1);
    expect(call('ifnull', int(null), int(10))).toBe(10);
    expect(call('ifnull', str(null), str('x'))).toBe('x');
    expect(call('ifnull', arr(INTEGER, null), arr(INTEGER, [10, 20]))).toEqual([10, 20]);
    expect(resolve('ifnull', arr(INTEGER, null), arr(INTEGER, [])).returnType).toEqual(SqlTypes.array(INTEGER));
  });
  it('null if', () => {
    expect(call('nullif', int(1), int(10))).toBe(1);
    expect(call('nullif', int(10), int(10))).toBeNull();
    expect(call('nullif', int(null), int(10))).toBeNull();
    expect(call('nullif', str('not null'), str('x'))).toBe('not null');
    expect(call('nullif', arr(INTEGER, [1, 2, 3]), arr(INTEGER, [1, 2, 3]))).toBeNull();
    expect(call('nullif', arr(INTEGER, [4, 5, 6]), arr(INTEGER, [1, 2, 3]))).toEqual([4, 5, 6]);
  });
  it('coalesce', () => {
    expect(call('coalesce', int(null), int(null), int(3), int(4))).toBe(3);
    expect(call('coalesce', str('a'))).toBe('a');
    expect(call('coalesce', int(null), nul())).toBeNull();
    expect(resolve('coalesce', nul(), str('x')).returnType).toEqual(STRING);
    expect(() => resolve('coalesce', int(1), big(2))).toThrow("Function 'coalesce' does not accept parameters (INTEGER, BIGINT).");
    expect(() => resolve('coalesce')).toThrow(/does not accept parameters \(\)/);
  });
  it('a generic bound only by NULLs cannot give a return type', () => {
    expect(() => resolve('coalesce', nul(), nul())).toThrow(/return type/);
    expect(resolve('ifnull', typed(STRING, null), nul()).argTypes).toEqual([STRING, STRING]);
  });
});
