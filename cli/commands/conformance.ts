/**
 * `sluice conformance [--dir DIR] [--json FILE] [--filter REGEX] [--update] [--groups FILE]`:
 * runs QTT cases and prints a line per file, one line per capability group and the closing line.
 * `--update` adds newly passing case ids to the ratchet file test/conformance/passing.txt.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runConformance, qttDepsWithExtensions, readRatchet, writeRatchet } from '../../engine/index.js';
import { flag, type ParsedArgs } from '../args.js';
import { runRqttDir } from '../../server/testing/rqtt-runner.js';

export const DEFAULT_RQTT_DIR = resolve(process.cwd(), '../shared/conformance/rqtt');

/** RQTT files group by what they exercise (groups.json lists only QTT files). */
function restGroup(file: string): string {
  if (file.startsWith('insert')) return 'inserts';
  if (file.includes('push')) return 'push-queries';
  if (file.startsWith('pull')) return 'pull-queries';
  return 'other';
}

/** `--rest [--dir DIR] [--filter REGEX] [--json FILE] [--verbose]`: RQTT cases against an in-process server. */
async function restConformance(args: ParsedArgs): Promise<number> {
  const dir = resolve(flag(args, 'dir') ?? DEFAULT_RQTT_DIR);
  const filterText = flag(args, 'filter');
  const verbose = flag(args, 'verbose') === 'true';
  const results = await runRqttDir(dir, {
    ...(filterText ? { filter: new RegExp(filterText) } : {}),
    onFile: (file, p, f) => console.log(`${file}: ${p} passed, ${f} failed`),
    onCase: (r) => { if (verbose && !r.passed) console.log(`  FAIL ${r.id}: ${r.reason?.slice(0, 400)}`); },
  });
  const groups = new Map<string, [number, number]>();
  for (const r of results) {
    const g = groups.get(restGroup(r.file)) ?? [0, 0];
    r.passed ? g[0]++ : g[1]++;
    groups.set(restGroup(r.file), g);
  }
  for (const [group, [p, f]] of [...groups].sort()) console.log(`group ${group}: ${p} passed, ${f} failed`);
  const json = flag(args, 'json');
  if (json) writeFileSync(json, JSON.stringify(results, null, 1));
  const passed = results.filter((r) => r.passed).length;
  console.log(`conformance: ${passed} passed, ${results.length - passed} failed`);
  return 0;
}

export const DEFAULT_QTT_DIR = resolve(process.cwd(), '../shared/conformance/qtt');
export const RATCHET_FILE = resolve(process.cwd(), 'test/conformance/passing.txt');

export async function conformanceCommand(args: ParsedArgs): Promise<number> {
  if (flag(args, 'rest') === 'true') return restConformance(args);
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
