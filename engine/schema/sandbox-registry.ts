/**
 * The schema registry of a sandboxed engine (ksqlDB's SandboxedSchemaRegistryClient): reads see
 * the real registry plus what this sandbox registered or deleted; registrations are validated
 * against the real registry (when it can check without writing) and kept in an overlay, and
 * subject deletions only hide the real subject. Nothing is written to the real registry.
 */
import { canonicalSchema } from './memory-registry.js';
import {
  SR_ERRORS, type RegisterOptions, type RegisteredSchema, type SchemaDefinition, type SchemaRegistryClient, type SubjectVersion,
} from './types.js';

export class SandboxSchemaRegistry implements SchemaRegistryClient {
  private readonly subjects = new Map<string, SubjectVersion[]>();
  private readonly byId = new Map<number, SubjectVersion>();
  /** Real subjects this sandbox deleted. */
  private readonly deleted = new Set<string>();
  /** Overlay ids count down from the top of the int32 range, clear of real ids and still writable in the wire format. */
  private nextId = 0x7fffffff;

  constructor(private readonly real: SchemaRegistryClient) {}

  getById(id: number): RegisteredSchema | undefined {
    return this.byId.get(id) ?? this.real.getById(id);
  }

  getLatest(subject: string): SubjectVersion | undefined {
    return this.subjects.get(subject)?.at(-1) ?? (this.deleted.has(subject) ? undefined : this.real.getLatest(subject));
  }

  getVersion(subject: string, version: number): SubjectVersion | undefined {
    return this.subjects.get(subject)?.find((v) => v.version === version) ?? (this.deleted.has(subject) ? undefined : this.real.getVersion(subject, version));
  }

  lookup(subject: string, def: SchemaDefinition): SubjectVersion | undefined {
    const canonical = canonicalSchema(def);
    return this.subjects.get(subject)?.find((v) => canonicalSchema(v) === canonical) ?? (this.deleted.has(subject) ? undefined : this.real.lookup?.(subject, def));
  }

  register(subject: string, def: SchemaDefinition, options: RegisterOptions = {}): number {
    const known = this.lookup(subject, def);
    if (known && options.id === undefined) return known.id;
    const mine = this.subjects.get(subject) ?? [];
    // Compatibility is checked against the live real subject; later versions in this sandbox are taken as given.
    if (options.id === undefined && mine.length === 0 && !this.deleted.has(subject)) {
      const problems = this.real.testCompatibility?.(subject, def) ?? [];
      if (problems.length > 0) throw SR_ERRORS.incompatible(problems.join('; '));
    }
    const id = options.id ?? this.nextId--;
    const version = (mine.at(-1)?.version ?? this.real.getLatest(subject)?.version ?? 0) + 1;
    const entry: SubjectVersion = { ...def, id, subject, version };
    mine.push(entry);
    this.subjects.set(subject, mine);
    this.byId.set(id, entry);
    return id;
  }

  async fetchById(id: number): Promise<RegisteredSchema | undefined> {
    return this.byId.get(id) ?? this.real.fetchById(id);
  }

  async fetchLatest(subject: string): Promise<SubjectVersion | undefined> {
    return this.subjects.get(subject)?.at(-1) ?? (this.deleted.has(subject) ? undefined : this.real.fetchLatest(subject));
  }

  async fetchVersion(subject: string, version: number): Promise<SubjectVersion | undefined> {
    return this.subjects.get(subject)?.find((v) => v.version === version) ?? (this.deleted.has(subject) ? undefined : this.real.fetchVersion(subject, version));
  }

  async fetchSubjectsById(id: number): Promise<string[] | undefined> {
    const mine = [...this.subjects.values()].flat().filter((v) => v.id === id).map((v) => v.subject);
    const real = (await this.real.fetchSubjectsById(id))?.filter((s) => !this.deleted.has(s));
    return mine.length > 0 || real ? [...new Set([...(real ?? []), ...mine])] : undefined;
  }

  async registerAsync(subject: string, def: SchemaDefinition, options?: RegisterOptions): Promise<number> {
    return this.register(subject, def, options);
  }

  async deleteSubjectAsync(subject: string): Promise<number[]> {
    const latest = this.deleted.has(subject) ? undefined : await this.real.fetchLatest(subject);
    const mine = (this.subjects.get(subject) ?? []).map((v) => v.version);
    if (!latest && mine.length === 0) throw SR_ERRORS.subjectNotFound(subject);
    this.subjects.delete(subject);
    this.deleted.add(subject);
    // Callers only need to know it succeeded; the real subject's versions are summarised by its latest.
    return latest ? [latest.version, ...mine] : mine;
  }
}
