import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExtensionModule, loadExtensions } from '../../engine/functions/extensions.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import { SqlTypes } from '../../engine/types/sql-type.js';

const declareUrl = resolve('engine/functions/declare.ts');

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-udf-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('loadExtensions', () => {
  it('loads plain declarations and DSL-built functions', async () => {
    const dir = dirWith({
      'a-plain.mjs': `
        export const helper = 42;
        export default [
          { name: 'multiply', description: 'Multiplies.', category: 'MATHEMATICAL',
            overloads: [
              { params: ['a: INTEGER', 'b: INTEGER'], returns: 'INTEGER', impl: (a, b) => Math.imul(a, b) },
              { params: ['a: DOUBLE', 'b: DOUBLE'], returns: 'DOUBLE', impl: (a, b) => a * b },
            ] },
          { name: 'repeat_rows', kind: 'table', overloads: [{ params: ['v: T', 'n: INTEGER'], returns: 'T', impl: (v, n) => Array(n).fill(v) }] },
        ];`,
      'b-dsl.ts': `
        import { overload, scalar } from ${JSON.stringify(declareUrl)};
        export const shout = scalar('shout', { category: 'STRING', description: 'Upper-cases and adds !' }, [
          overload({ params: ['s: STRING'], returns: 'STRING', impl: (s: string) => s.toUpperCase() + '!' }),
        ]);`,
      'types.d.ts': 'export {};',
      'README.md': 'not a module',
    });
    const registry = createFunctionRegistry();
    const loaded = await loadExtensions(dir, registry);
    expect(loaded.map((l) => l.functions)).toEqual([['MULTIPLY', 'REPEAT_ROWS'], ['SHOUT']]);
    const mul = registry.scalar('multiply')!.resolve([{ kind: 'value', type: SqlTypes.INTEGER }, { kind: 'value', type: SqlTypes.INTEGER }]);
    expect(mul.invoke(6, 7)).toBe(42);
    expect(mul.invoke(null, 7)).toBeNull();
    expect(registry.scalar('multiply')!.description.path).toBe(join(dir, 'a-plain.mjs'));
    expect(registry.scalar('multiply')!.description.category).toBe('MATHEMATICAL');
    const rows = registry.table('repeat_rows')!.resolve([{ kind: 'value', type: SqlTypes.STRING }, { kind: 'value', type: SqlTypes.INTEGER }]);
    expect(rows.invoke('x', 2)).toEqual(['x', 'x']);
    const shout = registry.scalar('SHOUT')!;
    expect(shout.description.path).toBe(join(dir, 'b-dsl.ts'));
    expect(shout.resolve([{ kind: 'value', type: SqlTypes.STRING }]).invoke('hi')).toBe('HI!');
    expect(registry.list().some((f) => f.name === 'SHOUT')).toBe(true);
  });

  it('a missing directory loads nothing', async () => {
    expect(await loadExtensions('/nonexistent/sluice-udfs', createFunctionRegistry())).toEqual([]);
  });

  it('reports bad modules clearly', async () => {
    const dir = dirWith({
      'throws.mjs': 'throw new Error("boom");',
      'empty.mjs': 'export const x = 1;',
      'badtype.mjs': "export default { name: 'f', overloads: [{ params: ['a: INTEGR'], returns: 'INTEGER', impl: (a) => a }] };",
      'noimpl.mjs': "export default { name: 'g', overloads: [{ params: ['a: INTEGER'], returns: 'INTEGER' }] };",
      'dup.mjs': "export default { name: 'abs', overloads: [{ params: ['a: INTEGER'], returns: 'INTEGER', impl: (a) => a }] };",
      'syntax.mjs': 'export default {',
    });
    const registry = createFunctionRegistry();
    const load = (f: string) => loadExtensionModule(join(dir, f), registry);
    await expect(load('throws.mjs')).rejects.toThrow(`Failed to load UDF module ${join(dir, 'throws.mjs')}: the module could not be imported: boom`);
    await expect(load('empty.mjs')).rejects.toThrow(/exports no function/);
    await expect(load('badtype.mjs')).rejects.toThrow(/invalid declaration of function 'f'.*INTEGR/);
    await expect(load('noimpl.mjs')).rejects.toThrow(/invalid declaration of function 'g': An overload needs impl/);
    await expect(load('dup.mjs')).rejects.toThrow(/function 'ABS' is already registered/);
    await expect(load('syntax.mjs')).rejects.toThrow(/could not be imported/);
    await expect(loadExtensions(dir, createFunctionRegistry())).rejects.toThrow(/Failed to load UDF module/);
  });
});
