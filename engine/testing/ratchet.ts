/** The conformance ratchet: ids of cases that passed once and must keep passing. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function readRatchet(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l && !l.startsWith('#')); // ids may end in spaces
}

export function writeRatchet(path: string, ids: readonly string[]): void {
  const header = '# Conformance cases that pass; `npm run conformance -- --update` adds new ones. A listed case that fails fails `npm test`.\n';
  writeFileSync(path, header + [...ids].sort().join('\n') + '\n');
}
