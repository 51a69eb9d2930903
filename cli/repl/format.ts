/** The CLI's TABULAR output (reference §2.5): entity tables and streamed-row tables. */

export function table(headers: readonly string[], rows: readonly (readonly string[])[], footer: readonly string[] = []): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => ` ${cells.map((c, i) => (c ?? '').padEnd(widths[i]!)).join(' | ')} \n`;
  const sep = '-'.repeat(widths.reduce((a, w) => a + w + 3, 0) - 1) + '\n';
  return `${line(headers)}${sep}${rows.map(line).join('')}${sep}${footer.map((f) => `${f}\n`).join('')}`;
}

type Entity = Record<string, unknown> & { '@type': string };

/** One entity in TABULAR form (the common types; others fall back to JSON). */
export function formatEntity(e: Entity): string {
  switch (e['@type']) {
    case 'currentStatus': {
      const status = e.commandStatus as { message: string };
      return table(['Message'], [[status.message.split('\n')[0]!]]);
    }
    case 'streams':
    case 'tables': {
      const list = ((e.streams ?? e.tables) as Record<string, unknown>[]).slice().sort((a, b) => String(a.name).localeCompare(String(b.name)));
      const kind = e['@type'] === 'streams' ? 'Stream Name' : 'Table Name';
      return table([kind, 'Kafka Topic', 'Key Format', 'Value Format', 'Windowed'],
        list.map((s) => [String(s.name), String(s.topic), String(s.keyFormat), String(s.valueFormat), String(s.isWindowed)]));
    }
    case 'queries': {
      const qs = e.queries as Record<string, unknown>[];
      return table(['Query ID', 'Query Type', 'Status', 'Sink Name', 'Sink Kafka Topic', 'Query String'],
        qs.map((q) => [String(q.id), String(q.queryType), Object.entries(q.statusCount as Record<string, number>).map(([k, v]) => `${k}:${v}`).join(','),
          (q.sinks as string[]).join(','), (q.sinkKafkaTopics as string[]).join(','), String(q.queryString)]),
        ['For detailed information on a Query run: EXPLAIN <Query ID>;']);
    }
    case 'kafka_topics': {
      const ts = e.topics as { name: string; replicaInfo: number[] }[];
      return table(['Kafka Topic', 'Partitions', 'Partition Replicas'], ts.map((t) => [t.name, String(t.replicaInfo.length), String(t.replicaInfo[0] ?? 1)]));
    }
    case 'properties': {
      const ps = (e.properties as { name: string; value: unknown; scope?: string }[]).slice().sort((a, b) => a.name.localeCompare(b.name));
      const over = new Set(e.overwrittenProperties as string[]);
      const dflt = new Set(e.defaultProperties as string[]);
      return table(['Property', 'Scope', 'Default override', 'Effective Value'],
        ps.map((p) => [p.name, p.scope ?? 'KSQL', over.has(p.name) ? 'SESSION' : dflt.has(p.name) ? '' : 'SERVER', p.value === null ? 'NULL' : String(p.value)]));
    }
    case 'function_names': {
      const fs = e.functions as { name: string; category: string }[];
      return table(['Function Name', 'Category'], fs.map((f) => [f.name, f.category]),
        ['For detailed information about a function, run: DESCRIBE FUNCTION <Function Name>;']);
    }
    case 'type_list':
      return table(['Type Name', 'Schema'], Object.entries(e.types as Record<string, { type: string }>).map(([n, s]) => [n, s.type]));
    case 'variables':
      return table(['Variable Name', 'Value'], (e.variables as { name: string; value: string }[]).map((v) => [v.name, String(v.value)]));
    case 'terminate_query':
      return table(['Message'], [[`Terminated query "${String(e.queryId)}"`]]);
    case 'assert_topic':
      return `Topic ${String(e.topicName)}${e.exists ? ' exists' : ' does not exist'}.\n`;
    case 'assert_schema': {
      const subject = e.subject != null ? ` subject ${String(e.subject)}` : '';
      const id = e.id != null ? ` id ${String(e.id)}` : '';
      return `Schema with${subject}${id}${e.exists ? ' exists' : ' does not exist'}.\n`;
    }
    case 'warning_entity':
      return `WARNING: ${String(e.message)}\n`;
    case 'sourceDescription': {
      const d = e.sourceDescription as { name: string; type: string; fields: { name: string; schema: { type: string }; type?: string }[] };
      const typeName = (t: string) => (t === 'STRING' ? 'VARCHAR(STRING)' : t);
      const keyNote = d.type === 'TABLE' ? '(primary key)' : '(key)';
      return `\n${'Name'.padEnd(21)}: ${d.name}\n${table(['Field', 'Type'], d.fields.map((f) => [f.name, f.type === 'KEY' ? `${typeName(f.schema.type).padEnd(16)} ${keyNote}` : typeName(f.schema.type)]))}`
        + 'For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;\n';
    }
    default:
      return `${JSON.stringify(e, null, 2)}\n`;
  }
}

/** Streamed rows: `+-----+` / `|NAME |` cells of a fixed width. */
export class RowTable {
  private readonly width: number;
  constructor(private readonly columns: readonly string[], terminalWidth: number) {
    this.width = Math.max(Math.floor(terminalWidth / Math.max(1, columns.length)) - 2, 5);
  }

  private cell(v: string): string {
    return v.length > this.width ? `${v.slice(0, this.width - 3)}...` : v.padEnd(this.width);
  }

  header(): string {
    const border = `+${this.columns.map(() => '-'.repeat(this.width)).join('+')}+`;
    return `${border}\n|${this.columns.map((c) => this.cell(c)).join('|')}|\n${border}\n`;
  }

  row(values: readonly unknown[], tombstone = false): string {
    return `|${values.map((v) => this.cell(v === null ? (tombstone ? '<TOMBSTONE>' : 'null') : typeof v === 'object' ? JSON.stringify(v) : String(v))).join('|')}|\n`;
  }
}
