/** DescribeConfigs v1 for topics (resource type 2) and this broker (4). */
import { Writer } from '../codec.js';
import type { BrokerContext, Handler } from '../context.js';
import { ErrorCode } from '../protocol.js';

const TOPIC = 2;
const BROKER = 4;
const SOURCE_TOPIC = 1;
const SOURCE_STATIC_BROKER = 4;
const SOURCE_DEFAULT = 5;

interface Entry {
  name: string;
  value: string | null;
  source: number;
}

function brokerConfigs(broker: BrokerContext): Entry[] {
  return [
    { name: 'auto.create.topics.enable', value: String(broker.config.autoCreateTopics), source: SOURCE_STATIC_BROKER },
    { name: 'num.partitions', value: String(broker.config.defaultPartitions), source: SOURCE_STATIC_BROKER },
    { name: 'default.replication.factor', value: '1', source: SOURCE_DEFAULT },
    { name: 'broker.id', value: String(broker.config.nodeId), source: SOURCE_STATIC_BROKER },
  ];
}

export const describeConfigs: Handler = async (r, _h, broker) => {
  const resources = r.array((x) => ({ type: x.int8(), name: x.string(), keys: x.nullableArray((k) => k.string()) }));
  r.bool(); // include synonyms (none are reported)
  const results: { error: number; message: string | null; type: number; name: string; entries: Entry[] }[] = [];
  for (const res of resources) {
    let entries: Entry[] = [];
    let error = 0;
    let message: string | null = null;
    if (res.type === TOPIC) {
      const desc = await broker.topics.describeTopic(res.name);
      if (!desc) {
        error = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        message = `Topic '${res.name}' does not exist`;
      } else {
        entries = Object.entries(desc.configs).map(([name, value]) => ({ name, value, source: SOURCE_TOPIC }));
      }
    } else if (res.type === BROKER) entries = brokerConfigs(broker);
    else {
      error = ErrorCode.INVALID_REQUEST;
      message = `Unsupported resource type ${res.type}`;
    }
    if (res.keys) entries = entries.filter((e) => res.keys!.includes(e.name));
    results.push({ error, message, type: res.type, name: res.name, entries });
  }
  const w = new Writer();
  w.int32(0);
  w.array(results, (w2, x) => {
    w2.int16(x.error).nullableString(x.message).int8(x.type).string(x.name);
    w2.array(x.entries, (w3, e) => w3.string(e.name).nullableString(e.value).bool(false).int8(e.source).bool(false).int32(0));
  });
  return w;
};
