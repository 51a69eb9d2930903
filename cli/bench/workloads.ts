/**
 * The Sluice workloads W1–W4 as SQL, with what their output must be. Expected results are computed
 * here in plain JavaScript from the generated fields (not from the JSON text), and the output of
 * every run is folded into the same shape, so a run that drops, duplicates or corrupts records
 * fails verification instead of looking fast.
 */
import { fnv1a, forEachPageview, forEachUser, type DataSpec } from './data.js';

/** Record count and order-independent checksum (exact sum of per-row FNV-1a hashes). */
export interface Digest {
  readonly count: number;
  readonly checksum: number;
}

export interface OutRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

export type WorkloadId = 'W1' | 'W2' | 'W3' | 'W4';

export interface SluiceWorkload {
  readonly id: WorkloadId;
  readonly title: string;
  /** Topics to preload: pageviews always; users for the join. */
  readonly needsUsers: boolean;
  /** A stream's output is complete at `count` records; a table's when its final values match. */
  readonly output: 'stream' | 'table';
  /** The persistent query; `sink` is the sink (and topic) name of this run. */
  query(sink: string): string;
  expected(spec: DataSpec): Digest;
  /** Digest of an output topic (tables: last value per key, tombstones delete). */
  digest(records: Iterable<OutRecord>): Digest;
}

export const SOURCE_DDL = `CREATE STREAM pageviews (userid VARCHAR KEY, viewtime BIGINT, pageid VARCHAR, regionid VARCHAR,
  url VARCHAR, referrer VARCHAR, agent VARCHAR, duration_ms INT, bytes INT)
  WITH (kafka_topic='pageviews', value_format='JSON', partitions=1);`;

export const USERS_DDL = `CREATE TABLE users (userid VARCHAR PRIMARY KEY, name VARCHAR, tier VARCHAR, signup BIGINT)
  WITH (kafka_topic='users', value_format='JSON', partitions=1);`;

/** W1's filter, shared with the bare loop B1. */
export function w1Passes(pageid: string, durationMs: number): boolean {
  return pageid !== 'Page_1' && durationMs > 2500;
}

const SEP = '\u0001';
const TUMBLE_MS = 60_000;

export function w1Row(key: string, pageid: unknown, viewtime: unknown, region: unknown, duration: unknown): string {
  return `${key}${SEP}${pageid}${SEP}${viewtime}${SEP}${region}${SEP}${duration}`;
}

function keyText(b: Buffer | null): string {
  return b === null ? '<null>' : b.toString('utf8');
}

function parse(b: Buffer | null): Record<string, unknown> | null {
  return b === null ? null : (JSON.parse(b.toString('utf8')) as Record<string, unknown>);
}

function streamDigest(records: Iterable<OutRecord>, row: (key: string, v: Record<string, unknown>) => string): Digest {
  let count = 0;
  let checksum = 0;
  for (const r of records) {
    const v = parse(r.value);
    count++;
    checksum += fnv1a(row(keyText(r.key), v ?? {}));
  }
  return { count, checksum };
}

function tableDigest(records: Iterable<OutRecord>, row: (key: Buffer, v: Record<string, unknown>) => [string, string]): Digest {
  const latest = new Map<string, string>();
  for (const r of records) {
    if (r.key === null) continue;
    const v = parse(r.value);
    if (v === null) {
      latest.delete(r.key.toString('latin1'));
      continue;
    }
    const [k, text] = row(r.key, v);
    latest.set(k, text);
  }
  let checksum = 0;
  for (const text of latest.values()) checksum += fnv1a(text);
  return { count: latest.size, checksum };
}

export const W1: SluiceWorkload = {
  id: 'W1',
  title: 'filter + projection',
  needsUsers: false,
  output: 'stream',
  query: (sink) => `CREATE STREAM ${sink} WITH (kafka_topic='${sink}') AS
  SELECT userid, pageid, viewtime, UCASE(regionid) AS region, duration_ms FROM pageviews
  WHERE pageid <> 'Page_1' AND duration_ms > 2500;`,
  expected(spec) {
    let count = 0;
    let checksum = 0;
    forEachPageview(spec, (_i, pv) => {
      if (!w1Passes(pv.pageid, pv.durationMs)) return;
      count++;
      checksum += fnv1a(w1Row(pv.userid, pv.pageid, pv.viewtime, pv.regionid.toUpperCase(), pv.durationMs));
    });
    return { count, checksum };
  },
  digest: (records) => streamDigest(records, (k, v) => w1Row(k, v.PAGEID, v.VIEWTIME, v.REGION, v.DURATION_MS)),
};

export const W2: SluiceWorkload = {
  id: 'W2',
  title: 'GROUP BY COUNT, SUM',
  needsUsers: false,
  output: 'table',
  query: (sink) => `CREATE TABLE ${sink} WITH (kafka_topic='${sink}') AS
  SELECT userid, COUNT(*) AS cnt, SUM(duration_ms) AS total FROM pageviews GROUP BY userid;`,
  expected(spec) {
    const agg = w2Aggregate(spec);
    let checksum = 0;
    for (const [k, [c, s]] of agg) checksum += fnv1a(`${k}${SEP}${c}${SEP}${s}`);
    return { count: agg.size, checksum };
  },
  digest: (records) => tableDigest(records, (key, v) => {
    const k = key.toString('utf8');
    return [k, `${k}${SEP}${v.CNT}${SEP}${v.TOTAL}`];
  }),
};

/** userid → [count, sum(duration_ms)]: W2's answer, also B3's and W5's. */
export function w2Aggregate(spec: DataSpec): Map<string, [number, number]> {
  const agg = new Map<string, [number, number]>();
  forEachPageview(spec, (_i, pv) => {
    const a = agg.get(pv.userid);
    if (a) { a[0]++; a[1] += pv.durationMs; } else agg.set(pv.userid, [1, pv.durationMs]);
  });
  return agg;
}

export function w2Digest(rows: Iterable<readonly [string, number, number]>): Digest {
  let count = 0;
  let checksum = 0;
  for (const [k, c, s] of rows) {
    count++;
    checksum += fnv1a(`${k}${SEP}${c}${SEP}${s}`);
  }
  return { count, checksum };
}

export const W3: SluiceWorkload = {
  id: 'W3',
  title: 'tumbling-window COUNT',
  needsUsers: false,
  output: 'table',
  query: (sink) => `CREATE TABLE ${sink} WITH (kafka_topic='${sink}') AS
  SELECT userid, COUNT(*) AS cnt FROM pageviews WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY userid;`,
  expected(spec) {
    const counts = new Map<string, number>();
    forEachPageview(spec, (_i, pv) => {
      const k = `${pv.userid}${SEP}${pv.viewtime - (pv.viewtime % TUMBLE_MS)}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    });
    let checksum = 0;
    for (const [k, c] of counts) checksum += fnv1a(`${k}${SEP}${c}`);
    return { count: counts.size, checksum };
  },
  digest: (records) => tableDigest(records, (key, v) => {
    // Time-windowed key: inner key ++ int64BE(window start).
    const inner = key.subarray(0, key.length - 8).toString('utf8');
    const start = Number(key.readBigInt64BE(key.length - 8));
    return [key.toString('latin1'), `${inner}${SEP}${start}${SEP}${v.CNT}`];
  }),
};

export const W4: SluiceWorkload = {
  id: 'W4',
  title: 'stream-table join',
  needsUsers: true,
  output: 'stream',
  query: (sink) => `CREATE STREAM ${sink} WITH (kafka_topic='${sink}') AS
  SELECT p.userid AS userid, p.pageid AS pageid, u.name AS name, u.tier AS tier
  FROM pageviews p JOIN users u ON p.userid = u.userid;`,
  expected(spec) {
    const users = new Map<string, [string, string]>();
    forEachUser(spec, (u) => users.set(u.userid, [u.name, u.tier]));
    let count = 0;
    let checksum = 0;
    forEachPageview(spec, (_i, pv) => {
      const u = users.get(pv.userid);
      if (!u) return;
      count++;
      checksum += fnv1a(`${pv.userid}${SEP}${pv.pageid}${SEP}${u[0]}${SEP}${u[1]}`);
    });
    return { count, checksum };
  },
  digest: (records) => streamDigest(records, (k, v) => `${k}${SEP}${v.PAGEID}${SEP}${v.NAME}${SEP}${v.TIER}`),
};

export const SLUICE_WORKLOADS: Readonly<Record<WorkloadId, SluiceWorkload>> = { W1, W2, W3, W4 };

/** Digest of a plain copy (B2): every record's key and value bytes. */
export function copyDigest(records: Iterable<OutRecord>): Digest {
  let count = 0;
  let checksum = 0;
  for (const r of records) {
    count++;
    checksum += fnv1a(`${keyText(r.key)}${SEP}${r.value === null ? '' : r.value.toString('utf8')}`);
  }
  return { count, checksum };
}

export function expectedCopyDigest(spec: DataSpec): Digest {
  let checksum = 0;
  forEachPageview(spec, (_i, pv) => { checksum += fnv1a(`${pv.userid}${SEP}${pv.json}`); });
  return { count: spec.records, checksum };
}

export function sameDigest(a: Digest, b: Digest): boolean {
  return a.count === b.count && a.checksum === b.checksum;
}
