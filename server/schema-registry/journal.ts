/**
 * The embedded registry's durability: every change is appended to a JSON-lines journal in the
 * data directory and replayed on start, so schema ids stay valid for records already in the log
 * (Confluent's registry keeps the same history in its `_schemas` topic).
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { InMemorySchemaRegistry, type CompatibilityLevel, type RegisterOptions, type SchemaDefinition } from '../../engine/index.js';

type JournalEntry =
  | { op: 'register'; subject: string; def: SchemaDefinition; id: number }
  | { op: 'deleteSubject'; subject: string; permanent: boolean }
  | { op: 'deleteVersion'; subject: string; version: number; permanent: boolean }
  | { op: 'config'; level: CompatibilityLevel; subject?: string }
  | { op: 'deleteConfig'; subject: string };

export class JournaledSchemaRegistry extends InMemorySchemaRegistry {
  private replaying = false;

  constructor(private readonly path: string) {
    super();
    if (!existsSync(path)) return;
    this.replaying = true;
    try {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const e = JSON.parse(line) as JournalEntry;
        switch (e.op) {
          case 'register': super.register(e.subject, e.def, { id: e.id }); break;
          case 'deleteSubject': super.deleteSubject(e.subject, e.permanent); break;
          case 'deleteVersion': super.deleteVersion(e.subject, e.version, e.permanent); break;
          case 'config': super.setCompatibility(e.level, e.subject); break;
          case 'deleteConfig': super.deleteSubjectCompatibility(e.subject); break;
        }
      }
    } finally {
      this.replaying = false;
    }
  }

  private log(e: JournalEntry): void {
    if (!this.replaying) appendFileSync(this.path, JSON.stringify(e) + '\n');
  }

  override register(subject: string, def: SchemaDefinition, options: RegisterOptions = {}): number {
    const before = this.getLatest(subject)?.version ?? 0;
    const id = super.register(subject, def, options);
    if ((this.getLatest(subject)?.version ?? 0) !== before) this.log({ op: 'register', subject, def, id });
    return id;
  }

  override deleteSubject(subject: string, permanent = false): number[] {
    const out = super.deleteSubject(subject, permanent);
    this.log({ op: 'deleteSubject', subject, permanent });
    return out;
  }

  override deleteVersion(subject: string, version: number, permanent = false): number {
    const out = super.deleteVersion(subject, version, permanent);
    this.log({ op: 'deleteVersion', subject, version, permanent });
    return out;
  }

  override setCompatibility(level: CompatibilityLevel, subject?: string): void {
    super.setCompatibility(level, subject);
    this.log({ op: 'config', level, ...(subject !== undefined ? { subject } : {}) });
  }

  override deleteSubjectCompatibility(subject: string): void {
    super.deleteSubjectCompatibility(subject);
    this.log({ op: 'deleteConfig', subject });
  }
}
