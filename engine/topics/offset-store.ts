/**
 * Committed consumer-group offsets on disk: an append-only JSON-lines journal (`offsets.jsonl`),
 * one line per commit, replayed on open; a torn last line is ignored. When it grows past a limit it
 * is rewritten as a snapshot (tmp + fsync + rename). Commits are serialised and fsynced (unless the
 * policy is `never`) before they resolve.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { syncDir } from './partition-log.js';

export class OffsetStore {
  private readonly groups = new Map<string, Map<string, number>>();
  private fd: number;
  private size = 0;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly durable: boolean,
    private readonly snapshotBytes = 4 << 20,
  ) {
    const file = path.join(dir, 'offsets.jsonl');
    if (fs.existsSync(file)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const line of text.split('\n')) {
        if (line.length === 0) continue;
        try {
          const { g, o } = JSON.parse(line) as { g: string; o: Record<string, number> };
          this.apply(g, Object.entries(o));
        } catch {
          break; // torn tail
        }
      }
      this.size = Buffer.byteLength(text);
    }
    this.fd = fs.openSync(file, 'a');
  }

  private apply(group: string, entries: Iterable<[string, number]>): void {
    let g = this.groups.get(group);
    if (!g) this.groups.set(group, (g = new Map()));
    for (const [k, v] of entries) {
      if (v < 0) g.delete(k);
      else g.set(k, v);
    }
  }

  commit(group: string, offsets: ReadonlyMap<string, number>): Promise<void> {
    this.apply(group, offsets);
    const line = `${JSON.stringify({ g: group, o: Object.fromEntries(offsets) })}\n`;
    const run = this.tail.then(() => this.write(line));
    this.tail = run.catch(() => {});
    return run;
  }

  private async write(line: string): Promise<void> {
    const buf = Buffer.from(line);
    fs.writeSync(this.fd, buf);
    this.size += buf.length;
    if (this.durable) await new Promise<void>((res, rej) => fs.fdatasync(this.fd, (e) => (e ? rej(e) : res())));
    if (this.size > this.snapshotBytes) this.snapshot();
  }

  private snapshot(): void {
    const file = path.join(this.dir, 'offsets.jsonl');
    const tmp = `${file}.tmp`;
    let text = '';
    for (const [g, m] of this.groups) text += `${JSON.stringify({ g, o: Object.fromEntries(m) })}\n`;
    fs.writeFileSync(tmp, text);
    const fd = fs.openSync(tmp, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.closeSync(this.fd);
    fs.renameSync(tmp, file);
    syncDir(this.dir);
    this.fd = fs.openSync(file, 'a');
    this.size = Buffer.byteLength(text);
  }

  fetch(group: string): Map<string, number> {
    return new Map(this.groups.get(group) ?? []);
  }

  /** Drops a topic's offsets from every group (topic deletion). */
  async forgetTopic(topic: string): Promise<void> {
    for (const [g, m] of this.groups) {
      const gone = new Map<string, number>();
      for (const k of m.keys()) if (k.slice(0, k.lastIndexOf(':')) === topic) gone.set(k, -1);
      if (gone.size > 0) await this.commit(g, gone);
    }
  }

  async close(): Promise<void> {
    await this.tail;
    fs.closeSync(this.fd);
  }
}
