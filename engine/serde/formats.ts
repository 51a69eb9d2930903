/** The formats implemented in this folder. A new format: add its file and one line here. */
import { AVRO_FORMAT } from './avro.js';
import { DELIMITED_FORMAT } from './delimited.js';
import { JSON_FORMAT } from './json.js';
import { JSON_SR_FORMAT } from './json-sr.js';
import { KAFKA_FORMAT } from './kafka.js';
import { NONE_FORMAT } from './none.js';
import { PROTOBUF_FORMAT, PROTOBUF_NOSR_FORMAT } from './protobuf.js';
import { registerFormat } from './registry.js';

for (const f of [KAFKA_FORMAT, JSON_FORMAT, DELIMITED_FORMAT, NONE_FORMAT, AVRO_FORMAT, JSON_SR_FORMAT, PROTOBUF_FORMAT, PROTOBUF_NOSR_FORMAT]) registerFormat(f);
