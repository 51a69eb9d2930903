/**
 * Loading QTT files (ksqlDB's query-validation tests) and expanding each case per `format` and
 * `config` entry, named "<file> - <name>[ - <FORMAT>][ - <prop>=<config>]" like ksqlDB's runner.
 * Files allow comments (Jackson ALLOW_COMMENTS) and keep number text exact.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseJsonExact } from '../serde/json-exact.js';

export type Spec = unknown;

export interface RecordSpec {
  readonly topic: string;
  readonly key?: Spec;
  readonly value: Spec;
  readonly timestamp?: Spec;
  readonly window?: { readonly start: Spec; readonly end: Spec; readonly type: string };
  readonly headers?: readonly { readonly KEY: string; readonly VALUE: string | null }[];
}

export interface TopicSpec {
  readonly name: string;
  readonly keyFormat?: string;
  readonly valueFormat?: string;
  readonly keySchema?: unknown;
  readonly valueSchema?: unknown;
  readonly keySchemaId?: Spec;
  readonly valueSchemaId?: Spec;
  readonly partitions?: Spec;
  readonly replicas?: Spec;
}

export interface ExpectedException {
  readonly type?: string;
  readonly message?: string;
}

export interface QttCase {
  readonly id: string;
  readonly file: string;
  readonly name: string;
  readonly format?: string;
  readonly statements: readonly string[];
  readonly properties: Readonly<Record<string, Spec>>;
  readonly topics: readonly TopicSpec[];
  readonly inputs: readonly RecordSpec[];
  readonly outputs: readonly RecordSpec[];
  readonly expectedException?: ExpectedException;
  readonly post?: Record<string, unknown>;
}

/** Removes `//` and `/* *\/` comments outside strings. */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** A spec value as a plain string/number, for fields such as topic names and timestamps. */
export function specToPlain(v: Spec): unknown {
  if (v !== null && typeof v === 'object' && 'text' in (v as object) && v.constructor?.name === 'JsonNumber') {
    return Number((v as { text: string }).text);
  }
  return v;
}

export function loadQttFile(path: string): QttCase[] {
  const file = basename(path).replace(/\.json$/, '');
  const doc = parseJsonExact(stripJsonComments(readFileSync(path, 'utf8'))) as { tests?: Record<string, unknown>[] };
  const out: QttCase[] = [];
  for (const t of doc.tests ?? []) {
    if (t.enabled === false) continue;
    const formats = (t.format as string[] | undefined) ?? [undefined];
    const configs = (t.config as Spec[] | undefined) ?? [undefined];
    for (const format of formats) {
      for (const config of configs) {
        const props: Record<string, Spec> = { ...((t.properties as Record<string, Spec>) ?? {}) };
        let configSuffix = '';
        if (config !== undefined) {
          for (const [k, v] of Object.entries(props)) {
            if (v === '{CONFIG}') {
              props[k] = config;
              configSuffix = ` - ${k}=${String(specToPlain(config))}`;
            }
          }
        }
        const statements = (t.statements as string[]).map((s) => (format ? s.replaceAll('{FORMAT}', format) : s));
        const name = String(t.name);
        out.push({
          id: `${file} - ${name}${format ? ` - ${format}` : ''}${configSuffix}`,
          file, name, ...(format ? { format } : {}),
          statements, properties: props,
          topics: (t.topics as TopicSpec[]) ?? [],
          inputs: (t.inputs as RecordSpec[]) ?? [],
          outputs: (t.outputs as RecordSpec[]) ?? [],
          ...(t.expectedException ? { expectedException: t.expectedException as ExpectedException } : {}),
          ...(t.post ? { post: t.post as Record<string, unknown> } : {}),
        });
      }
    }
  }
  return out;
}
