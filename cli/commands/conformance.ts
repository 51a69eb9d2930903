/**
 * `sluice conformance [--dir DIR] [--json FILE] [--filter REGEX] [--update] [--groups FILE]`:
 * runs QTT cases and prints a line per file, one line per capability group and the closing line.
 * `--update` adds newly passing case ids to the ratchet file test/conformance/passing.txt.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runConformance, qttDepsWithExtensions, readRatchet, writeRatchet } from '../../engine/index.js';
import { flag, type ParsedArgs } from '../args.js';

export const DEFAULT_QTT_DIR = resolve(process.cwd(), '../shared/conformance/qtt');
export const RATCHET_FILE = resolve(process.cwd(), 'test/conformance/passing.txt');

export async function conformanceCommand(args: ParsedArgs): Promise<number> {
  const dir = resolve(flag(args, 'dir') ?? DEFAULT_QTT_DIR);
  const filterText = flag(args, 'filter');
  const groupsFile = flag(args, 'groups');
  const report = await runConformance(dir, await qttDepsWithExtensions(), {
    ...(filterText ? { filter: new RegExp(filterText) } : {}),
    ...(groupsFile ? { groupsFile } : {}),
    onFile: (s) => console.log(`${s.file}: ${s.passed} passed, ${s.failed} failed`),
  });
  for (const [group, [p, f]] of report.groups) console.log(`group ${group}: ${p} passed, ${f} failed`);
  const json = flag(args, 'json');
  if (json) writeFileSync(json, JSON.stringify(report.results, null, 1));
  if (flag(args, 'update') === 'true') {
    const passing = new Set(readRatchet(RATCHET_FILE));
    const before = passing.size;
    for (const r of report.results) if (r.passed) passing.add(r.id);
    writeRatchet(RATCHET_FILE, [...passing]);
    console.log(`ratchet: ${passing.size - before} case(s) added, ${passing.size} listed`);
  }
  console.log(`conformance: ${report.passed} passed, ${report.failed} failed`);
  return 0;
}
