/**
 * Schema Registry contracts (Confluent's REST model). One interface for the registry Sluice
 * serves in-process and for a client of an external registry (`ksql.schema.registry.url`).
 *
 * Serdes run on the synchronous hot path, so the interface has synchronous lookups. The in-process
 * registry answers them directly; the HTTP client answers from a cache that its async methods
 * fill at planning time (CREATE and CSAS/CTAS fetch and register schemas before a query starts).
 */

export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';

export interface SchemaReference {
  /** The import name (Protobuf) or `$ref` URL (JSON schema) or full name (Avro). */
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

export interface SchemaDefinition {
  readonly schemaType: SchemaType;
  /** The schema text: Avro or JSON-schema JSON, or a .proto file. */
  readonly schema: string;
  readonly references?: readonly SchemaReference[];
}

export interface RegisteredSchema extends SchemaDefinition {
  readonly id: number;
}

export interface SubjectVersion extends RegisteredSchema {
  readonly subject: string;
  readonly version: number;
}

export type CompatibilityLevel =
  | 'NONE' | 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FORWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE';

export const COMPATIBILITY_LEVELS: readonly CompatibilityLevel[] = [
  'NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE',
];

export interface RegisterOptions {
  /** Register under this exact id (Confluent's IMPORT mode; the QTT runner's `valueSchemaId`). */
  readonly id?: number;
}

export interface SchemaRegistryClient {
  /** The schema with this id, or undefined when it is unknown (or not cached, for a remote registry). */
  getById(id: number): RegisteredSchema | undefined;
  /** The latest version registered under a subject. */
  getLatest(subject: string): SubjectVersion | undefined;
  /** Version `version` of a subject. */
  getVersion(subject: string, version: number): SubjectVersion | undefined;
  /**
   * The id of `def` under `subject`, registering it (as a new version) when the subject does not
   * have it. Throws SchemaRegistryError when it is incompatible. Remote clients answer only what
   * `registerAsync` registered before.
   */
  register(subject: string, def: SchemaDefinition, options?: RegisterOptions): number;

  /** Async forms: the same answers, reaching a remote registry when the cache has none. */
  fetchById(id: number): Promise<RegisteredSchema | undefined>;
  fetchLatest(subject: string): Promise<SubjectVersion | undefined>;
  fetchVersion(subject: string, version: number): Promise<SubjectVersion | undefined>;
  /** The subjects registering the schema with this id (GET /schemas/ids/{id}/subjects); undefined when the id is unknown. */
  fetchSubjectsById(id: number): Promise<string[] | undefined>;
  registerAsync(subject: string, def: SchemaDefinition, options?: RegisterOptions): Promise<number>;
  /** Soft-deletes every version of a subject (DELETE /subjects/{subject}); rejects with a 404 SchemaRegistryError when it has none. */
  deleteSubjectAsync(subject: string): Promise<number[]>;
}

/** An error with Confluent's `error_code` and HTTP status. */
export class SchemaRegistryError extends Error {
  constructor(readonly status: number, readonly errorCode: number, message: string) {
    super(message);
    this.name = 'SchemaRegistryError';
  }
}

export const SR_ERRORS = {
  subjectNotFound: (s: string) => new SchemaRegistryError(404, 40401, `Subject '${s}' not found.`),
  versionNotFound: (v: unknown) => new SchemaRegistryError(404, 40402, `Version ${String(v)} not found.`),
  schemaNotFound: (id?: number) => new SchemaRegistryError(404, 40403, id === undefined ? 'Schema not found' : `Schema ${id} not found`),
  incompatible: (detail: string) => new SchemaRegistryError(409, 409, `Schema being registered is incompatible with an earlier schema for subject, details: ${detail}`),
  invalidSchema: (detail: string) => new SchemaRegistryError(422, 42201, `Invalid schema: ${detail}`),
  invalidVersion: (v: unknown) => new SchemaRegistryError(422, 42202, `The specified version '${String(v)}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`),
  invalidCompatibility: () => new SchemaRegistryError(422, 42203, 'Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive'),
  idInUse: (id: number) => new SchemaRegistryError(422, 42205, `Overwrite new schema with id ${id} is not permitted.`),
  referenced: (s: string, v: number) => new SchemaRegistryError(422, 42206, `One or more references exist to the schema {subject=${s},version=${v}}.`),
};
