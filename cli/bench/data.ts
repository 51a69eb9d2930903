/**
 * The benchmark's generated data: pageview records shaped like ksqlDB's `pageviews` quickstart
 * topic, padded with realistic fields to ~256 bytes of JSON, and a users table keyed by the same
 * user ids. Everything comes from one seeded PRNG, so every run, every workload and every baseline
 * sees byte-identical records.
 */

export interface DataSpec {
  /** Pageview records. */
  readonly records: number;
  /** Distinct user ids (the GROUP BY / join key). */
  readonly keys: number;
  /** Event-time span of the records (ms); records are in event-time order. */
  readonly spanMs: number;
  readonly seed: number;
}

export const FULL: DataSpec = { records: 1_000_000, keys: 100_000, spanMs: 300_000, seed: 20240611 };
export const QUICK: DataSpec = { records: 20_000, keys: 2_000, spanMs: 300_000, seed: 20240611 };

/** Event time of the first record (2023-11-14T22:13:20Z). */
export const T0 = 1_700_000_000_000;

/** mulberry32: small, fast and good enough to spread keys; fixed seed for reproducibility. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CATEGORIES = ['books', 'garden', 'kitchen', 'music', 'outdoor', 'toys', 'tools', 'video'];
const REFERRERS = ['https://www.search.example/q?term=sale', 'https://news.example.org/top', 'https://social.example.net/feed', 'direct', 'https://mail.example.com/inbox'];
const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/127.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148',
];
const TIERS = ['bronze', 'silver', 'gold', 'platinum'];

export interface Pageview {
  readonly userid: string;
  readonly viewtime: number;
  readonly pageid: string;
  readonly regionid: string;
  readonly durationMs: number;
  /** The record value as produced (JSON text). */
  readonly json: string;
}

/**
 * Yields every pageview in order. The Pageview object is reused between steps (no allocation per
 * record beyond the strings); copy what you keep.
 */
export function* pageviews(spec: DataSpec): Generator<Pageview> {
  const rnd = prng(spec.seed);
  const pv = { userid: '', viewtime: 0, pageid: '', regionid: '', durationMs: 0, json: '' };
  for (let i = 0; i < spec.records; i++) {
    const user = Math.floor(rnd() * spec.keys);
    const page = 1 + Math.floor(rnd() * 100);
    const region = 1 + Math.floor(rnd() * 9);
    const item = Math.floor(rnd() * 1_000_000);
    const cat = CATEGORIES[item % CATEGORIES.length]!;
    const ref = REFERRERS[Math.floor(rnd() * REFERRERS.length)]!;
    const agent = AGENTS[Math.floor(rnd() * AGENTS.length)]!;
    const duration = Math.floor(rnd() * 5000);
    const bytes = 512 + Math.floor(rnd() * 65536);
    pv.userid = `User_${user}`;
    pv.viewtime = T0 + Math.floor((i * spec.spanMs) / spec.records);
    pv.pageid = `Page_${page}`;
    pv.regionid = `Region_${region}`;
    pv.durationMs = duration;
    pv.json = `{"viewtime":${pv.viewtime},"userid":"${pv.userid}","pageid":"${pv.pageid}","regionid":"${pv.regionid}",`
      + `"url":"https://shop.example.com/${cat}/item-${item}","referrer":"${ref}","agent":"${agent}",`
      + `"duration_ms":${duration},"bytes":${bytes}}`;
    yield pv;
  }
}

/** Calls `each` for every pageview in order (the object is reused, as with `pageviews`). */
export function forEachPageview(spec: DataSpec, each: (i: number, pv: Pageview) => void): void {
  let i = 0;
  for (const pv of pageviews(spec)) each(i++, pv);
}

export interface User {
  readonly userid: string;
  readonly name: string;
  readonly tier: string;
  readonly json: string;
}

/** The users table: one row per key, `User_0` … `User_<keys-1>`. */
export function forEachUser(spec: DataSpec, each: (u: User) => void): void {
  const rnd = prng(spec.seed ^ 0x5bd1e995);
  for (let k = 0; k < spec.keys; k++) {
    const userid = `User_${k}`;
    const name = `Name ${Math.floor(rnd() * 1e9).toString(36)}`;
    const tier = TIERS[Math.floor(rnd() * TIERS.length)]!;
    const json = `{"userid":"${userid}","name":"${name}","tier":"${tier}","signup":${T0 - 86_400_000 + k}}`;
    each({ userid, name, tier, json });
  }
}

/** FNV-1a over a string's UTF-16 code units: the per-row hash of the checksums. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
