export { KafkaListener, type KafkaListenerOptions } from './server.js';
export { SUPPORTED as SUPPORTED_API_VERSIONS, ApiKey, ErrorCode as KafkaError } from './protocol.js';
