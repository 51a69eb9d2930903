/** Shared helpers for the SQL front-end tests. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** `../shared/conformance` beside the repository (CI clones the repo with shared/ next to it). */
export const CONFORMANCE_DIR = resolve(__dirname, '../../../shared/conformance');

/** Removes `span` fields so that trees can be compared structurally. */
export function noSpans<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (k, v: unknown) => (k === 'span' ? undefined : v)));
}

import { stripJsonComments } from '../../engine/testing/qtt-case.js';

export { stripJsonComments };

export interface ExpectedError {
  readonly type?: string;
  readonly message?: string;
}

export interface ConformanceCase {
  readonly file: string;
  readonly name: string;
  readonly statements: readonly string[];
  /** QTT `expectedException` or RQTT `expectedError`. */
  readonly expected?: ExpectedError;
  /** `post.sources[].schema` column lists. */
  readonly schemas: readonly string[];
}

/** Every case of every QTT and RQTT file, with `{FORMAT}` replaced by JSON. */
export function loadConformanceCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const dir of ['qtt', 'rqtt']) {
    const path = join(CONFORMANCE_DIR, dir);
    for (const file of readdirSync(path).filter((f) => f.endsWith('.json')).sort()) {
      const json = JSON.parse(stripJsonComments(readFileSync(join(path, file), 'utf8'))) as {
        tests: {
          name: string;
          statements: string[];
          expectedException?: ExpectedError;
          expectedError?: ExpectedError;
          post?: { sources?: { schema?: string }[] };
        }[];
      };
      for (const t of json.tests) {
        const expected = t.expectedException ?? t.expectedError;
        cases.push({
          file: `${dir}/${file}`,
          name: t.name,
          statements: t.statements.map((s) => s.replaceAll('{FORMAT}', 'JSON')),
          schemas: (t.post?.sources ?? []).flatMap((s) => (typeof s.schema === 'string' ? [s.schema] : [])),
          ...(expected ? { expected } : {}),
        });
      }
    }
  }
  return cases;
}

/** The `statements.sql` files of the command-line test runner cases. */
export function loadTestRunnerScripts(): { path: string; text: string }[] {
  const found: { path: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const p = join(dir, entry);
      if (statSync(p).isDirectory()) walk(p);
      else if (entry === 'statements.sql') found.push({ path: p, text: readFileSync(p, 'utf8') });
    }
  };
  walk(join(CONFORMANCE_DIR, 'test-runner'));
  return found;
}
