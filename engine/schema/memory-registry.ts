/**
 * The schema registry Sluice serves in-process (embedded mode, the QTT runner's mock registry, and
 * the HTTP API under server/schema-registry/). Ids are global and shared by every subject that
 * registers the same schema; versions are per subject and start at 1; soft-deleted versions keep
 * their ids. Compatibility defaults to BACKWARD, settable globally and per subject.
 */
import { checkCompatibility } from './compatibility.js';
import { parseAvroDefinition } from './avro-types.js';
import {
  SR_ERRORS, SchemaRegistryError, type CompatibilityLevel, type RegisterOptions, type RegisteredSchema,
  type SchemaDefinition, type SchemaRegistryClient, type SubjectVersion,
} from './types.js';

interface VersionEntry {
  readonly version: number;
  readonly id: number;
  deleted: boolean;
}

/** Text that identifies a schema regardless of formatting (Avro/JSON are compared as parsed JSON). */
export function canonicalSchema(def: SchemaDefinition): string {
  let text = def.schema.trim();
  if (def.schemaType !== 'PROTOBUF') {
    try { text = JSON.stringify(JSON.parse(text)); } catch { /* invalid JSON is rejected elsewhere */ }
  }
  const refs = (def.references ?? []).map((r) => `${r.name}|${r.subject}|${r.version}`).join(',');
  return `${def.schemaType}\u0000${text}\u0000${refs}`;
}

export class InMemorySchemaRegistry implements SchemaRegistryClient {
  private readonly byId = new Map<number, RegisteredSchema>();
  private readonly idByCanonical = new Map<string, number>();
  private readonly subjectsMap = new Map<string, VersionEntry[]>();
  private readonly subjectCompat = new Map<string, CompatibilityLevel>();
  private globalCompat: CompatibilityLevel = 'BACKWARD';
  private nextId = 1;

  // ---- reads ----

  getById(id: number): RegisteredSchema | undefined {
    return this.byId.get(id);
  }

  subjects(includeDeleted = false): string[] {
    return [...this.subjectsMap].filter(([, vs]) => vs.some((v) => includeDeleted || !v.deleted)).map(([s]) => s).sort();
  }

  versions(subject: string, includeDeleted = false): number[] {
    const vs = this.subjectsMap.get(subject);
    if (!vs || !vs.some((v) => includeDeleted || !v.deleted)) throw SR_ERRORS.subjectNotFound(subject);
    return vs.filter((v) => includeDeleted || !v.deleted).map((v) => v.version);
  }

  getLatest(subject: string): SubjectVersion | undefined {
    const vs = (this.subjectsMap.get(subject) ?? []).filter((v) => !v.deleted);
    const last = vs[vs.length - 1];
    return last ? this.entry(subject, last) : undefined;
  }

  getVersion(subject: string, version: number): SubjectVersion | undefined {
    const v = (this.subjectsMap.get(subject) ?? []).find((e) => e.version === version && !e.deleted);
    return v ? this.entry(subject, v) : undefined;
  }

  /** Subjects and versions that use the schema with this id. */
  subjectVersionsForId(id: number): { subject: string; version: number }[] {
    const out: { subject: string; version: number }[] = [];
    for (const [subject, vs] of this.subjectsMap) for (const v of vs) if (v.id === id && !v.deleted) out.push({ subject, version: v.version });
    return out;
  }

  /** The version of `def` under `subject` (POST /subjects/{subject}), or undefined. */
  lookup(subject: string, def: SchemaDefinition): SubjectVersion | undefined {
    const id = this.idByCanonical.get(canonicalSchema(def));
    if (id === undefined) return undefined;
    const v = (this.subjectsMap.get(subject) ?? []).find((e) => e.id === id && !e.deleted);
    return v ? this.entry(subject, v) : undefined;
  }

  /** Ids of schemas that reference this subject version. */
  referencedBy(subject: string, version: number): number[] {
    const out: number[] = [];
    for (const s of this.byId.values()) {
      if ((s.references ?? []).some((r) => r.subject === subject && r.version === version)) out.push(s.id);
    }
    return out.sort((a, b) => a - b);
  }

  // ---- compatibility ----

  compatibility(subject?: string): CompatibilityLevel {
    return (subject !== undefined ? this.subjectCompat.get(subject) : undefined) ?? this.globalCompat;
  }

  subjectCompatibility(subject: string): CompatibilityLevel | undefined {
    return this.subjectCompat.get(subject);
  }

  setCompatibility(level: CompatibilityLevel, subject?: string): void {
    if (subject === undefined) this.globalCompat = level;
    else this.subjectCompat.set(subject, level);
  }

  deleteSubjectCompatibility(subject: string): void {
    this.subjectCompat.delete(subject);
  }

  /** Problems of `def` against the subject's versions (or against one version), empty when compatible. */
  testCompatibility(subject: string, def: SchemaDefinition, version?: number): string[] {
    this.validate(def);
    const level = this.compatibility(subject);
    const live = (this.subjectsMap.get(subject) ?? []).filter((v) => !v.deleted);
    const against = version === undefined ? live : live.filter((v) => v.version === version);
    const existing = against.map((v) => this.byId.get(v.id)!);
    const effective = version === undefined ? level : (level.replace('_TRANSITIVE', '') as CompatibilityLevel);
    const problem = checkCompatibility(effective, def, existing, (d) => parseAvroDefinition(d, this));
    return problem === undefined ? [] : [problem];
  }

  // ---- writes ----

  register(subject: string, def: SchemaDefinition, options: RegisterOptions = {}): number {
    this.validate(def);
    const canonical = canonicalSchema(def);
    const versions = this.subjectsMap.get(subject) ?? [];
    const knownId = this.idByCanonical.get(canonical);
    if (knownId !== undefined && options.id === undefined) {
      const existing = versions.find((v) => v.id === knownId && !v.deleted);
      if (existing) return knownId;
    }
    if (options.id !== undefined) {
      const taken = this.byId.get(options.id);
      if (taken && canonicalSchema(taken) !== canonical) throw SR_ERRORS.idInUse(options.id);
    } else {
      const problems = this.testCompatibility(subject, def);
      if (problems.length > 0) throw SR_ERRORS.incompatible(problems.join('; '));
    }
    const id = options.id ?? knownId ?? this.allocateId();
    if (!this.byId.has(id)) {
      this.byId.set(id, { id, schemaType: def.schemaType, schema: def.schema, ...(def.references?.length ? { references: def.references } : {}) });
      if (!this.idByCanonical.has(canonical)) this.idByCanonical.set(canonical, id);
    }
    if (id >= this.nextId) this.nextId = id + 1;
    const version = (versions[versions.length - 1]?.version ?? 0) + 1;
    versions.push({ version, id, deleted: false });
    this.subjectsMap.set(subject, versions);
    return id;
  }

  /** Deletes a subject (soft: versions are hidden; permanent: removed). Returns the deleted versions. */
  deleteSubject(subject: string, permanent = false): number[] {
    const vs = this.subjectsMap.get(subject);
    if (!vs || vs.length === 0) throw SR_ERRORS.subjectNotFound(subject);
    if (permanent) {
      if (vs.some((v) => !v.deleted)) {
        throw new SchemaRegistryError(404, 40405, `Subject '${subject}' was not deleted first before being permanently deleted`);
      }
      this.subjectsMap.delete(subject);
      return vs.map((v) => v.version);
    }
    const live = vs.filter((v) => !v.deleted);
    if (live.length === 0) throw new SchemaRegistryError(404, 40404, `Subject '${subject}' was soft deleted.Set permanent=true to delete permanently`);
    for (const v of live) {
      if (this.referencedBy(subject, v.version).length > 0) throw SR_ERRORS.referenced(subject, v.version);
    }
    for (const v of live) v.deleted = true;
    return live.map((v) => v.version);
  }

  deleteVersion(subject: string, version: number, permanent = false): number {
    const vs = this.subjectsMap.get(subject);
    if (!vs) throw SR_ERRORS.subjectNotFound(subject);
    const i = vs.findIndex((v) => v.version === version && (permanent || !v.deleted));
    if (i < 0) throw SR_ERRORS.versionNotFound(version);
    if (this.referencedBy(subject, version).length > 0) throw SR_ERRORS.referenced(subject, version);
    if (permanent) vs.splice(i, 1);
    else vs[i]!.deleted = true;
    return version;
  }

  // ---- async forms ----

  fetchById(id: number): Promise<RegisteredSchema | undefined> { return Promise.resolve(this.getById(id)); }
  fetchLatest(subject: string): Promise<SubjectVersion | undefined> { return Promise.resolve(this.getLatest(subject)); }
  fetchVersion(subject: string, version: number): Promise<SubjectVersion | undefined> { return Promise.resolve(this.getVersion(subject, version)); }
  deleteSubjectAsync(subject: string): Promise<number[]> {
    try { return Promise.resolve(this.deleteSubject(subject)); } catch (e) { return Promise.reject(e); }
  }
  fetchSubjectsById(id: number): Promise<string[] | undefined> {
    return Promise.resolve(this.getById(id) ? [...new Set(this.subjectVersionsForId(id).map((v) => v.subject))] : undefined);
  }
  registerAsync(subject: string, def: SchemaDefinition, options?: RegisterOptions): Promise<number> {
    try { return Promise.resolve(this.register(subject, def, options)); } catch (e) { return Promise.reject(e); }
  }

  private allocateId(): number {
    while (this.byId.has(this.nextId)) this.nextId++;
    return this.nextId++;
  }

  private entry(subject: string, v: VersionEntry): SubjectVersion {
    return { ...this.byId.get(v.id)!, subject, version: v.version };
  }

  /** Rejects schemas that do not parse, and references to unknown subject versions. */
  private validate(def: SchemaDefinition): void {
    for (const r of def.references ?? []) {
      if (!this.getVersion(r.subject, r.version)) throw SR_ERRORS.invalidSchema(`reference ${r.name} to ${r.subject} version ${r.version} not found`);
    }
    try {
      if (def.schemaType === 'AVRO') parseAvroDefinition(def, this);
      else if (def.schemaType === 'JSON') JSON.parse(def.schema);
    } catch (e) {
      throw SR_ERRORS.invalidSchema((e as Error).message);
    }
  }
}
