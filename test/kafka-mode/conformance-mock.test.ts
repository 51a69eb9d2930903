/** Kafka mode against librdkafka's mock cluster with three brokers (kcat): a conformance sample end to end. */
import { mockBackend } from './backends.js';
import { conformanceSample } from './conformance-sample.js';
import { hasKcat } from './mock-cluster.js';

conformanceSample(mockBackend, !hasKcat());
