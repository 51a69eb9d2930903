/**
 * The conformance cases run in Kafka mode: cases listed in test/conformance/passing.txt (they pass
 * in embedded mode), minus those that cannot mean the same on a cluster (see `unsuitable`), taken
 * every n-th in file order so the sample is deterministic and spread over all files.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listQttFiles } from '../../engine/testing/conformance.js';
import { loadQttFile, type QttCase } from '../../engine/testing/qtt-case.js';
import { readRatchet } from '../../engine/testing/ratchet.js';

const here = dirname(fileURLToPath(import.meta.url));

export function qttDir(): string | undefined {
  const candidates = [process.env['SLUICE_QTT_DIR'], resolve(here, '../../../shared/conformance/qtt'), '/work/shared/conformance/qtt'];
  return candidates.find((d): d is string => !!d && existsSync(d));
}

/** Why a passing case is left out of the Kafka-mode sample, or undefined. */
export function unsuitable(c: QttCase): string | undefined {
  if (c.expectedException) return 'negative case (fails at statement time, no Kafka involved)';
  const sql = c.statements.join('\n');
  // Clusters without CreateTopics (the mock) auto-create with their own partition count, so an
  // explicit PARTITIONS that differs from it fails the statement.
  if (/\bPARTITIONS\s*=/i.test(sql)) return 'explicit PARTITIONS';
  if (/DELETE\s+TOPIC/i.test(sql)) return 'deletes topics';
  // With inputs on several topics the embedded runner's result follows file order, while on a
  // cluster a task interleaves its partitions by timestamp (as Kafka Streams does): not comparable.
  if (new Set(c.inputs.map((r) => r.topic)).size > 1) return 'inputs on several topics';
  // The Kafka-mode runner has no per-case schema registry: schema-registry formats run embedded only.
  if (/\b(AVRO|PROTOBUF|PROTOBUF_NOSR|JSON_SR)\b/i.test(sql) || c.topics.some((t) => t.keySchema !== undefined || t.valueSchema !== undefined)) {
    return 'schema-registry format';
  }
  // Several queries writing one topic interleave by timing, not by case order.
  const sinks = c.statements.filter((s) => /^\s*(INSERT\s+INTO|CREATE\s+(OR\s+REPLACE\s+)?(STREAM|TABLE)\s+\S+\s+.*\bAS\s+SELECT)/is.test(s));
  if (sinks.length > 1) return 'several persistent queries';
  return undefined;
}

export function allSuitableCases(dir: string): QttCase[] {
  const listed = new Set(readRatchet(resolve(here, '../conformance/passing.txt')));
  const out: QttCase[] = [];
  for (const file of listQttFiles(dir)) {
    for (const c of loadQttFile(file)) if (listed.has(c.id) && !unsuitable(c)) out.push(c);
  }
  return out;
}

/** About `count` cases: every n-th suitable case. */
export function sampleCases(dir: string, count: number): QttCase[] {
  const all = allSuitableCases(dir);
  if (count >= all.length) return all;
  const step = all.length / count;
  return Array.from({ length: count }, (_, i) => all[Math.floor(i * step)]!);
}
