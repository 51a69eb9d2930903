export type * from './stores.js';
export { createRocksStateBackend, RocksStateBackend, type RocksStateBackendOptions } from './backend.js';
export { CachingKeyValueStore, cachingKeyValueStore, type CacheFlushEvent, type CachingOptions } from './caching-store.js';
export {
  decodeOrderedKey, decodeValue, encodeOrderedKey, encodeValue, orderedKeySerializer, valueSerializer,
} from './codec.js';
