/** Runs every QTT file of a directory and summarises per file and per capability group. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadQttFile, type QttCase } from './qtt-case.js';
import { runQttCase, type CaseResult, type RunnerDeps } from './qtt-runner.js';

export interface FileSummary {
  readonly file: string;
  readonly passed: number;
  readonly failed: number;
}

export interface ConformanceReport {
  readonly results: CaseResult[];
  readonly files: FileSummary[];
  /** group name → [passed, failed] */
  readonly groups: Map<string, [number, number]>;
  readonly passed: number;
  readonly failed: number;
}

export function listQttFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f));
}

/** groups.json maps group → file names (without .json); `_about` is not a group. */
export function loadGroups(path: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!existsSync(path)) return out;
  const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  for (const [k, v] of Object.entries(doc)) if (!k.startsWith('_') && Array.isArray(v)) out.set(k, v as string[]);
  return out;
}

export async function runConformance(
  dir: string,
  deps: RunnerDeps,
  options: { filter?: RegExp; groupsFile?: string; onFile?: (s: FileSummary) => void; onCase?: (c: QttCase, r: CaseResult) => void } = {},
): Promise<ConformanceReport> {
  const results: CaseResult[] = [];
  const files: FileSummary[] = [];
  const byFile = new Map<string, CaseResult[]>();
  for (const path of listQttFiles(dir)) {
    let cases: QttCase[];
    try {
      cases = loadQttFile(path);
    } catch (e) {
      const file = path.split('/').pop()!.replace(/\.json$/, '');
      const r: CaseResult = { id: `${file} - <file>`, passed: false, reason: `cannot load: ${(e as Error).message}` };
      results.push(r);
      byFile.set(file, [r]);
      continue;
    }
    if (options.filter) cases = cases.filter((c) => options.filter!.test(c.id));
    if (cases.length === 0) continue;
    const fileResults: CaseResult[] = [];
    for (const c of cases) {
      const r = await runQttCase(c, deps);
      options.onCase?.(c, r);
      fileResults.push(r);
      results.push(r);
    }
    const file = cases[0]!.file;
    byFile.set(file, fileResults);
    const summary = { file, passed: fileResults.filter((r) => r.passed).length, failed: fileResults.filter((r) => !r.passed).length };
    files.push(summary);
    options.onFile?.(summary);
  }
  const groups = new Map<string, [number, number]>();
  for (const [group, groupFiles] of loadGroups(options.groupsFile ?? join(dir, '..', 'groups.json'))) {
    let p = 0, f = 0;
    for (const file of groupFiles) for (const r of byFile.get(file) ?? []) r.passed ? p++ : f++;
    groups.set(group, [p, f]);
  }
  const passed = results.filter((r) => r.passed).length;
  return { results, files, groups, passed, failed: results.length - passed };
}
