/** Schema Registry: the in-process registry, a client of an external one, and the contracts. */
export * from './types.js';
export { InMemorySchemaRegistry, canonicalSchema } from './memory-registry.js';
export { HttpSchemaRegistryClient, type HttpSchemaRegistryOptions } from './http-client.js';
export { checkCompatibility } from './compatibility.js';
