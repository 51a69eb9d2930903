/**
 * A client of an external Confluent-compatible schema registry (`ksql.schema.registry.url`).
 * The async methods talk HTTP and fill a cache; the sync methods answer from the cache only
 * (serdes run on the synchronous hot path). CREATE / CSAS fetch and register what their queries
 * need before the queries start. A record whose schema id was never seen (a producer registered a
 * new version while the query ran) is fetched synchronously, once per id, by a child process:
 * Node has no synchronous HTTP client, and dropping the record would lose data.
 */
import { execFileSync } from 'node:child_process';
import {
  SchemaRegistryError, type RegisterOptions, type RegisteredSchema, type SchemaDefinition, type SchemaRegistryClient,
  type SchemaType, type SubjectVersion,
} from './types.js';
import { canonicalSchema } from './memory-registry.js';

interface WireSchema {
  id?: number;
  subject?: string;
  version?: number;
  schema: string;
  schemaType?: SchemaType;
  references?: { name: string; subject: string; version: number }[];
}

export interface HttpSchemaRegistryOptions {
  /** Base URL, e.g. `http://localhost:8081`. */
  readonly url: string;
  /** `user:password` for basic authentication. */
  readonly basicAuth?: string;
  readonly fetch?: typeof fetch;
}

export class HttpSchemaRegistryClient implements SchemaRegistryClient {
  private readonly base: string;
  private readonly byId = new Map<number, RegisteredSchema>();
  private readonly latest = new Map<string, SubjectVersion>();
  private readonly versions = new Map<string, SubjectVersion>();
  private readonly registered = new Map<string, number>();
  /** Ids the registry answered 404 for (not asked again). */
  private readonly missing = new Set<number>();

  constructor(private readonly options: HttpSchemaRegistryOptions) {
    this.base = options.url.replace(/\/+$/, '');
  }

  getById(id: number): RegisteredSchema | undefined {
    const hit = this.byId.get(id);
    if (hit || this.missing.has(id)) return hit;
    const body = this.requestSync<WireSchema>(`/schemas/ids/${id}`);
    if (!body) { this.missing.add(id); return undefined; }
    const s = this.toSchema(id, body);
    for (const r of s.references ?? []) {
      if (this.getVersion(r.subject, r.version)) continue;
      const v = this.requestSync<WireSchema>(`/subjects/${encodeURIComponent(r.subject)}/versions/${r.version}`);
      if (v) this.cacheVersion(r.subject, v);
    }
    this.byId.set(id, s);
    return s;
  }

  /** GET with a blocking child process; undefined on 404. */
  private requestSync<T>(path: string): T | undefined {
    const script = `fetch(process.argv[1], { headers: JSON.parse(process.argv[2]) }).then(async (r) => {
      process.stdout.write(JSON.stringify({ status: r.status, body: await r.text() }));
    }).catch((e) => { process.stdout.write(JSON.stringify({ status: 0, body: String(e) })); });`;
    const out = execFileSync(process.execPath, ['-e', script, this.base + path, JSON.stringify(this.headers(false))], { timeout: 10_000, encoding: 'utf8' });
    const res = JSON.parse(out) as { status: number; body: string };
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new SchemaRegistryError(res.status || 503, res.status || 50003, `Schema registry request failed: ${res.body}`);
    return JSON.parse(res.body) as T;
  }

  private headers(withBody: boolean): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/vnd.schemaregistry.v1+json, application/json' };
    if (withBody) headers['content-type'] = 'application/vnd.schemaregistry.v1+json';
    if (this.options.basicAuth) headers.authorization = `Basic ${Buffer.from(this.options.basicAuth).toString('base64')}`;
    return headers;
  }

  getLatest(subject: string): SubjectVersion | undefined {
    return this.latest.get(subject);
  }

  getVersion(subject: string, version: number): SubjectVersion | undefined {
    return this.versions.get(`${subject}/${version}`);
  }

  register(subject: string, def: SchemaDefinition): number {
    const id = this.registered.get(`${subject}\u0000${canonicalSchema(def)}`);
    if (id === undefined) throw new Error(`Schema for subject ${subject} was not registered before use`);
    return id;
  }

  async fetchById(id: number): Promise<RegisteredSchema | undefined> {
    const hit = this.byId.get(id);
    if (hit) return hit;
    const body = await this.request<WireSchema>('GET', `/schemas/ids/${id}`, undefined, true);
    if (!body) return undefined;
    const s = this.toSchema(id, body);
    await this.fetchReferences(s);
    this.byId.set(id, s);
    this.missing.delete(id);
    return s;
  }

  async fetchLatest(subject: string): Promise<SubjectVersion | undefined> {
    const body = await this.request<WireSchema>('GET', `/subjects/${encodeURIComponent(subject)}/versions/latest`, undefined, true);
    if (!body) return undefined;
    const v = this.cacheVersion(subject, body);
    this.latest.set(subject, v);
    return v;
  }

  async fetchVersion(subject: string, version: number): Promise<SubjectVersion | undefined> {
    const hit = this.getVersion(subject, version);
    if (hit) return hit;
    const body = await this.request<WireSchema>('GET', `/subjects/${encodeURIComponent(subject)}/versions/${version}`, undefined, true);
    return body ? this.cacheVersion(subject, body) : undefined;
  }

  async deleteSubjectAsync(subject: string): Promise<number[]> {
    const versions = await this.request<number[]>('DELETE', `/subjects/${encodeURIComponent(subject)}`, undefined, false);
    this.latest.delete(subject);
    for (const cache of [this.versions, this.registered]) {
      for (const k of cache.keys()) if (k.startsWith(`${subject}/`) || k.startsWith(`${subject}\u0000`)) cache.delete(k);
    }
    return versions ?? [];
  }

  async fetchSubjectsById(id: number): Promise<string[] | undefined> {
    return this.request<string[]>('GET', `/schemas/ids/${id}/subjects`, undefined, true);
  }

  async registerAsync(subject: string, def: SchemaDefinition, options: RegisterOptions = {}): Promise<number> {
    const body: Record<string, unknown> = { schema: def.schema };
    if (def.schemaType !== 'AVRO') body.schemaType = def.schemaType;
    if (def.references?.length) body.references = def.references;
    if (options.id !== undefined) body.id = options.id;
    const res = await this.request<{ id: number }>('POST', `/subjects/${encodeURIComponent(subject)}/versions`, body, false);
    const id = res!.id;
    this.registered.set(`${subject}\u0000${canonicalSchema(def)}`, id);
    this.byId.set(id, { id, ...def });
    await this.fetchLatest(subject).catch(() => undefined);
    return id;
  }

  private cacheVersion(subject: string, body: WireSchema): SubjectVersion {
    const s = this.toSchema(body.id!, body);
    const v: SubjectVersion = { ...s, subject, version: body.version! };
    this.byId.set(s.id, s);
    this.versions.set(`${subject}/${v.version}`, v);
    this.registered.set(`${subject}\u0000${canonicalSchema(s)}`, s.id);
    return v;
  }

  private async fetchReferences(s: SchemaDefinition): Promise<void> {
    for (const r of s.references ?? []) await this.fetchVersion(r.subject, r.version);
  }

  private toSchema(id: number, body: WireSchema): RegisteredSchema {
    return {
      id, schema: body.schema, schemaType: body.schemaType ?? 'AVRO',
      ...(body.references?.length ? { references: body.references } : {}),
    };
  }

  private async request<T>(method: string, path: string, body: unknown, notFoundOk: boolean): Promise<T | undefined> {
    const headers = this.headers(body !== undefined);
    const res = await (this.options.fetch ?? fetch)(this.base + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    if (res.status === 404 && notFoundOk) return undefined;
    const text = await res.text();
    const json = text ? JSON.parse(text) as Record<string, unknown> : {};
    if (!res.ok) {
      throw new SchemaRegistryError(res.status, Number(json.error_code ?? res.status), String(json.message ?? res.statusText));
    }
    return json as T;
  }
}
