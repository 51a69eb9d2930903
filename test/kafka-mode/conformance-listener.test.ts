/** Kafka mode against Sluice's own Kafka-protocol listener: a conformance sample end to end. */
import { listenerBackend } from './backends.js';
import { conformanceSample } from './conformance-sample.js';

conformanceSample(listenerBackend);
