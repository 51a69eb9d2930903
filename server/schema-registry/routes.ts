/**
 * Confluent Schema Registry's REST API over the in-process registry: subjects and versions, schemas
 * by id, lookup, compatibility checks, per-subject and global compatibility config, references,
 * soft and permanent deletes. Errors are `{"error_code": 40401, "message": "..."}` with Confluent's
 * codes and statuses.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  COMPATIBILITY_LEVELS, SR_ERRORS, SchemaRegistryError, type CompatibilityLevel, type InMemorySchemaRegistry, type SchemaDefinition,
  type SchemaType, type SubjectVersion,
} from '../../engine/index.js';

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

interface SchemaBody {
  schema?: unknown;
  schemaType?: string;
  references?: { name: string; subject: string; version: number }[];
  id?: number;
}

function definition(body: SchemaBody | undefined): SchemaDefinition {
  if (!body || typeof body.schema !== 'string') throw new SchemaRegistryError(422, 42201, 'Invalid schema: the request has no "schema" string');
  const type = (body.schemaType ?? 'AVRO').toUpperCase();
  if (type !== 'AVRO' && type !== 'JSON' && type !== 'PROTOBUF') throw new SchemaRegistryError(422, 42201, `Invalid schema type ${body.schemaType}`);
  return { schemaType: type as SchemaType, schema: body.schema, ...(body.references?.length ? { references: body.references } : {}) };
}

function parseVersion(sr: InMemorySchemaRegistry, subject: string, v: string): SubjectVersion {
  if (v === 'latest' || v === '-1') {
    const latest = sr.getLatest(subject);
    if (!latest) throw SR_ERRORS.subjectNotFound(subject);
    return latest;
  }
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw SR_ERRORS.invalidVersion(v);
  sr.versions(subject);
  const found = sr.getVersion(subject, n);
  if (!found) throw SR_ERRORS.versionNotFound(n);
  return found;
}

/** The JSON of a schema: `schemaType` and `references` only when they are not the defaults. */
function schemaJson(s: SchemaDefinition): Record<string, unknown> {
  return {
    ...(s.schemaType !== 'AVRO' ? { schemaType: s.schemaType } : {}),
    ...(s.references?.length ? { references: s.references } : {}),
    schema: s.schema,
  };
}

function versionJson(v: SubjectVersion): Record<string, unknown> {
  return { subject: v.subject, version: v.version, id: v.id, ...schemaJson(v) };
}

function level(body: unknown): CompatibilityLevel {
  const b = (body ?? {}) as { compatibility?: string; compatibilityLevel?: string };
  const l = String(b.compatibility ?? b.compatibilityLevel ?? '').toUpperCase();
  if (!(COMPATIBILITY_LEVELS as readonly string[]).includes(l)) throw SR_ERRORS.invalidCompatibility();
  return l as CompatibilityLevel;
}

type Params = Record<string, string>;
type Query = Record<string, string | undefined>;

export function registerSchemaRegistryRoutes(app: FastifyInstance, sr: InMemorySchemaRegistry): void {
  for (const type of [CONTENT_TYPE, 'application/vnd.schemaregistry+json', 'application/octet-stream']) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (_req, body, done) => {
      try { done(null, body === '' ? {} : JSON.parse(body as string)); } catch (e) { done(e as Error, undefined); }
    });
  }
  app.addHook('onSend', async (_req, reply, payload) => {
    if (!reply.getHeader('content-type')?.toString().includes('text/plain')) reply.header('content-type', CONTENT_TYPE);
    return payload;
  });
  app.setErrorHandler((err: unknown, _req, reply: FastifyReply) => {
    if (err instanceof SchemaRegistryError) return reply.status(err.status).send({ error_code: err.errorCode, message: err.message });
    const e = err as { statusCode?: number; message?: string };
    const status = e.statusCode && e.statusCode < 500 ? e.statusCode : 500;
    return reply.status(status).send({ error_code: status === 500 ? 50001 : status, message: e.message ?? String(err) });
  });
  app.setNotFoundHandler((_req, reply) => reply.status(404).send({ error_code: 404, message: 'HTTP 404 Not Found' }));

  app.get('/', async () => ({}));
  app.get('/schemas/types', async () => ['JSON', 'PROTOBUF', 'AVRO']);
  app.get('/mode', async () => ({ mode: 'READWRITE' }));
  app.get('/contexts', async () => ['.']);

  app.get<{ Querystring: Query }>('/subjects', async (req) => sr.subjects(req.query.deleted === 'true'));

  app.get<{ Params: Params; Querystring: Query }>('/subjects/:subject/versions', async (req) =>
    sr.versions(req.params.subject!, req.query.deleted === 'true'));

  app.get<{ Params: Params }>('/subjects/:subject/versions/:version', async (req) =>
    versionJson(parseVersion(sr, req.params.subject!, req.params.version!)));

  app.get<{ Params: Params }>('/subjects/:subject/versions/:version/schema', async (req, reply) => {
    const v = parseVersion(sr, req.params.subject!, req.params.version!);
    return reply.send(v.schema);
  });

  app.get<{ Params: Params }>('/subjects/:subject/versions/:version/referencedby', async (req) => {
    const v = parseVersion(sr, req.params.subject!, req.params.version!);
    return sr.referencedBy(v.subject, v.version);
  });

  app.post<{ Params: Params; Body: SchemaBody }>('/subjects/:subject/versions', async (req) => {
    const def = definition(req.body);
    return { id: sr.register(req.params.subject!, def, req.body?.id !== undefined ? { id: Number(req.body.id) } : {}) };
  });

  app.post<{ Params: Params; Body: SchemaBody }>('/subjects/:subject', async (req) => {
    const def = definition(req.body);
    const subject = req.params.subject!;
    sr.versions(subject);
    const found = sr.lookup(subject, def);
    if (!found) throw SR_ERRORS.schemaNotFound();
    return versionJson(found);
  });

  app.delete<{ Params: Params; Querystring: Query }>('/subjects/:subject', async (req) =>
    sr.deleteSubject(req.params.subject!, req.query.permanent === 'true'));

  app.delete<{ Params: Params; Querystring: Query }>('/subjects/:subject/versions/:version', async (req) => {
    const subject = req.params.subject!;
    const permanent = req.query.permanent === 'true';
    const version = req.params.version === 'latest' ? parseVersion(sr, subject, 'latest').version : Number(req.params.version);
    if (!Number.isInteger(version) || version < 1) throw SR_ERRORS.invalidVersion(req.params.version);
    return sr.deleteVersion(subject, version, permanent);
  });

  app.get<{ Params: Params }>('/schemas/ids/:id', async (req) => {
    const s = sr.getById(Number(req.params.id));
    if (!s) throw SR_ERRORS.schemaNotFound(Number(req.params.id));
    return schemaJson(s);
  });

  app.get<{ Params: Params }>('/schemas/ids/:id/schema', async (req, reply) => {
    const s = sr.getById(Number(req.params.id));
    if (!s) throw SR_ERRORS.schemaNotFound(Number(req.params.id));
    return reply.send(s.schema);
  });

  app.get<{ Params: Params }>('/schemas/ids/:id/versions', async (req) => {
    const id = Number(req.params.id);
    if (!sr.getById(id)) throw SR_ERRORS.schemaNotFound(id);
    return sr.subjectVersionsForId(id);
  });

  app.get<{ Params: Params }>('/schemas/ids/:id/subjects', async (req) => {
    const id = Number(req.params.id);
    const subjects = await sr.fetchSubjectsById(id);
    if (!subjects) throw SR_ERRORS.schemaNotFound(id);
    return subjects;
  });

  const compat = async (subject: string, body: SchemaBody, version: string | undefined, verbose: boolean) => {
    const def = definition(body);
    let problems: string[];
    if (version === undefined) {
      problems = sr.testCompatibility(subject, def);
    } else {
      const v = sr.getLatest(subject) ? parseVersion(sr, subject, version) : undefined;
      problems = v ? sr.testCompatibility(subject, def, v.version) : [];
    }
    return { is_compatible: problems.length === 0, ...(verbose ? { messages: problems } : {}) };
  };
  app.post<{ Params: Params; Body: SchemaBody; Querystring: Query }>('/compatibility/subjects/:subject/versions/:version', async (req) =>
    compat(req.params.subject!, req.body, req.params.version, req.query.verbose === 'true'));
  app.post<{ Params: Params; Body: SchemaBody; Querystring: Query }>('/compatibility/subjects/:subject/versions', async (req) =>
    compat(req.params.subject!, req.body, undefined, req.query.verbose === 'true'));

  app.get('/config', async () => ({ compatibilityLevel: sr.compatibility() }));
  app.put<{ Body: unknown }>('/config', async (req) => {
    const l = level(req.body);
    sr.setCompatibility(l);
    return { compatibility: l };
  });
  app.get<{ Params: Params; Querystring: Query }>('/config/:subject', async (req) => {
    const own = sr.subjectCompatibility(req.params.subject!);
    if (own === undefined && req.query.defaultToGlobal !== 'true') {
      throw new SchemaRegistryError(404, 40408, `Subject '${req.params.subject}' does not have subject-level compatibility configured`);
    }
    return { compatibilityLevel: own ?? sr.compatibility() };
  });
  app.put<{ Params: Params; Body: unknown }>('/config/:subject', async (req) => {
    const l = level(req.body);
    sr.setCompatibility(l, req.params.subject!);
    return { compatibility: l };
  });
  app.delete<{ Params: Params }>('/config/:subject', async (req) => {
    const own = sr.subjectCompatibility(req.params.subject!);
    if (own === undefined) throw SR_ERRORS.subjectNotFound(req.params.subject!);
    sr.deleteSubjectCompatibility(req.params.subject!);
    return { compatibility: own };
  });
}
