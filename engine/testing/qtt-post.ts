/** QTT `post` conditions: sources (schema, formats, features) and topics (blacklist, formats, partitions). */
import { parseColumnList } from '../sql/index.js';
import { resolveTypeNode } from '../analyzer/types.js';
import { formatSchema, type Column } from '../catalog/schema.js';
import type { DataSource } from '../catalog/source.js';
import { specToPlain, type QttCase } from './qtt-case.js';
import type { TestDriver } from './test-driver.js';

interface SourceExpectation {
  name: string;
  type?: string;
  schema?: string;
  keyFormat?: { format?: string; windowType?: string; windowSize?: unknown };
  valueFormat?: string;
  keyFeatures?: string[];
  valueFeatures?: string[];
}

export async function checkPostConditions(c: QttCase, driver: TestDriver): Promise<string | undefined> {
  const post = c.post;
  if (!post) return undefined;
  for (const s of (post.sources as SourceExpectation[] | undefined) ?? []) {
    const problem = checkSource(s, driver);
    if (problem) return problem;
  }
  const topics = post.topics as { blacklist?: string; topics?: { name: string; partitions?: unknown }[] } | undefined;
  if (topics) {
    const all = await driver.topics.listTopics();
    if (topics.blacklist) {
      const re = new RegExp(`^${topics.blacklist}$`);
      const bad = all.find((t) => re.test(t.name));
      if (bad) return `post: topic ${bad.name} matches blacklist ${topics.blacklist}`;
    }
    for (const t of topics.topics ?? []) {
      const found = all.find((x) => x.name === t.name);
      if (!found) return `post: topic ${t.name} does not exist`;
      if (t.partitions !== undefined && Number(specToPlain(t.partitions)) !== found.partitions) {
        return `post: topic ${t.name} has ${found.partitions} partitions, expected ${String(specToPlain(t.partitions))}`;
      }
    }
  }
  return undefined;
}

function checkSource(s: SourceExpectation, driver: TestDriver): string | undefined {
  const src: DataSource | undefined = driver.engine.metaStore.getSource(s.name);
  if (!src) return `post: source ${s.name} does not exist`;
  if (s.type && s.type.toUpperCase() !== src.kind) return `post: source ${s.name} is a ${src.kind}, expected ${s.type}`;
  if (s.schema !== undefined) {
    const expected: Column[] = parseColumnList(s.schema).map((e) => ({
      name: e.name,
      type: resolveTypeNode(e.type, (n) => driver.engine.metaStore.getType(n)),
      namespace: e.constraint?.kind === 'Key' || e.constraint?.kind === 'PrimaryKey' ? 'KEY'
        : e.constraint?.kind === 'Headers' ? 'HEADERS' : e.constraint?.kind === 'Header' ? 'HEADER' : 'VALUE',
      ...(e.constraint?.kind === 'Header' ? { headerKey: e.constraint.key } : {}),
    }));
    const want = formatSchema({ columns: expected });
    const got = formatSchema(src.schema);
    if (want !== got) return `post: source ${s.name} schema ${got}, expected ${want}`;
  }
  if (s.keyFormat) {
    if (s.keyFormat.format && s.keyFormat.format !== src.keyFormat.format) return `post: ${s.name} key format ${src.keyFormat.format}, expected ${s.keyFormat.format}`;
    const wt = s.keyFormat.windowType ?? undefined;
    if ((wt ?? null) !== (src.window?.type ?? null)) return `post: ${s.name} window type ${src.window?.type ?? 'none'}, expected ${wt ?? 'none'}`;
    const rawSize = s.keyFormat.windowSize === undefined ? undefined : specToPlain(s.keyFormat.windowSize);
    const ws = rawSize === undefined || rawSize === null ? undefined : Number(rawSize);
    if ((ws ?? null) !== (src.window?.sizeMs ?? null)) return `post: ${s.name} window size ${src.window?.sizeMs ?? 'none'}, expected ${ws ?? 'none'}`;
  }
  if (s.valueFormat && s.valueFormat !== src.valueFormat.format) return `post: ${s.name} value format ${src.valueFormat.format}, expected ${s.valueFormat}`;
  if (s.keyFeatures && !sameSet(s.keyFeatures, src.keyFormat.features)) return `post: ${s.name} key features [${src.keyFormat.features}], expected [${s.keyFeatures}]`;
  if (s.valueFeatures && !sameSet(s.valueFeatures, src.valueFormat.features)) return `post: ${s.name} value features [${src.valueFormat.features}], expected [${s.valueFeatures}]`;
  return undefined;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
