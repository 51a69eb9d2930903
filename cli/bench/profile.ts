import { findSourceMap } from 'node:module';

/**
 * Summaries of V8 CPU profiles (`.cpuprofile`, as written by `--cpu-prof` or the inspector):
 * self time per function and per source area, over the measured window only.
 */

export interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  readonly hitCount?: number;
  readonly children?: number[];
}

export interface CpuProfile {
  readonly nodes: CpuProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: number[];
  readonly timeDeltas: number[];
}

export interface ProfileEntry {
  readonly name: string;
  readonly selfMs: number;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly windowMs: number;
  readonly functions: ProfileEntry[];
  readonly areas: ProfileEntry[];
}

/** Where a frame's code lives: engine/<stage>, server, cli/bench, node internals, a package, or V8's own buckets. */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `package ${pkg[1]}`;
  const m = /\/(engine\/[^/]+|server\/kafka|server|cli\/bench|cli)\//.exec(url);
  return m ? m[1]! : url;
}

function shortUrl(url: string): string {
  const m = /\/((?:engine|server|cli)\/.*)$/.exec(url) ?? /(node_modules\/.*)$/.exec(url);
  return m ? m[1]! : url;
}

/** Self time of the samples within the first `windowMs` of the profile (the measured run). */
export function summariseProfile(profile: CpuProfile, windowMs = Infinity, top = 20): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const fnTime = new Map<string, number>();
  const areaTime = new Map<string, number>();
  let t = 0;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    t += dt;
    if (t > windowMs) break;
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const name = url ? `${functionName || '(anonymous)'} ${shortUrl(url)}:${sourceLine(url, lineNumber, columnNumber)}` : functionName || '(anonymous)';
    fnTime.set(name, (fnTime.get(name) ?? 0) + dt);
    const area = areaOf(url, functionName);
    areaTime.set(area, (areaTime.get(area) ?? 0) + dt);
    total += dt;
  }
  const entries = (m: Map<string, number>, n: number) => [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, ms]) => ({ name, selfMs: round(ms), percent: round((100 * ms) / total) }));
  return { windowMs: round(total), functions: entries(fnTime, top), areas: entries(areaTime, 15) };
}

/**
 * The TypeScript line of a frame: tsx compiles each module to a few long lines, so the generated
 * position goes through the module's source map (present when the profiled modules were loaded by
 * this process, as in the bench worker; otherwise the generated line is shown).
 */
function sourceLine(url: string, line: number, column: number): string {
  if (!url.startsWith('file:') || url.includes('node_modules')) return String(line + 1);
  try {
    const entry = findSourceMap(url)?.findEntry(line, column) as { originalLine?: number } | undefined;
    if (entry && typeof entry.originalLine === 'number') return String(entry.originalLine + 1);
  } catch { /* no map */ }
  return `${line + 1}:${column + 1}`;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

export function profileMarkdown(title: string, s: ProfileSummary): string {
  const lines = [`#### ${title} (${s.windowMs.toFixed(0)} ms sampled)`, '', '| self ms | % | area |', '|---:|---:|---|'];
  for (const a of s.areas) lines.push(`| ${a.selfMs.toFixed(0)} | ${a.percent.toFixed(1)} | ${a.name} |`);
  lines.push('', '| self ms | % | function |', '|---:|---:|---|');
  for (const f of s.functions) lines.push(`| ${f.selfMs.toFixed(0)} | ${f.percent.toFixed(1)} | \`${f.name}\` |`);
  return lines.join('\n');
}
