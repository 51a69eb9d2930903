/**
 * The durable catalog: every statement that changes the catalog (CREATE / DROP / TERMINATE /
 * INSERT INTO … SELECT / PAUSE / RESUME / ALTER / CREATE TYPE) is appended to a command topic in
 * the embedded log, as ksqlDB does, and replayed in order when the server starts. A record holds
 * the statement text (after variable substitution), the request's property overrides and the
 * query-id counter before it ran, so replay rebuilds the same streams, tables, types and query ids.
 *
 * Replay has no side effects on topics beyond what the original run left: `DROP … DELETE TOPIC`
 * replays without deleting (the topic was deleted when the command first ran), and persistent
 * queries are started only once the whole log has been applied, from their committed offsets.
 */
import {
  parseScript, type Engine, type ParsedStatement, type PersistentQuery, type QueryHost, type Statement, type Topics,
} from '../engine/index.js';

export interface Command {
  readonly statement: string;
  readonly streamsProperties: Readonly<Record<string, unknown>>;
  readonly queryNumber: number;
}

export interface CommandStatus {
  status: 'QUEUED' | 'PARSING' | 'EXECUTING' | 'RUNNING' | 'TERMINATED' | 'SUCCESS' | 'ERROR';
  message: string;
  queryId: string | null;
}

const DISTRIBUTED: ReadonlySet<Statement['kind']> = new Set([
  'CreateSource', 'CreateAsSelect', 'InsertInto', 'DropSource', 'CreateType', 'DropType', 'Terminate', 'Pause', 'Resume',
  'AlterSource', 'AlterSystem',
] as Statement['kind'][]);

/** Whether a statement is recorded in the command topic. */
export function isDistributed(s: Statement): boolean {
  return DISTRIBUTED.has(s.kind);
}

export function commandTopicName(serviceId: string): string {
  return `_confluent-ksql-${serviceId}_command_topic`;
}

export class CommandLog {
  /** commandId → status of the last command with that id. */
  readonly statuses = new Map<string, CommandStatus>();
  private next = 0;

  constructor(private readonly topics: Topics, readonly topic: string) {}

  /** The sequence number the next command will get (= its offset in the command topic). */
  get nextSequence(): number {
    return this.next;
  }

  /** The last applied command's sequence number, or -1. */
  get lastSequence(): number {
    return this.next - 1;
  }

  async open(): Promise<Command[]> {
    await this.topics.createTopic(this.topic, { partitions: 1, replicas: 1, configs: { 'cleanup.policy': 'delete', 'retention.ms': '-1' } });
    const out: Command[] = [];
    let offset = await this.topics.startOffset(this.topic, 0);
    const end = await this.topics.endOffset(this.topic, 0);
    while (offset < end) {
      const batch = await this.topics.read(this.topic, 0, offset, 500, 0);
      if (batch.length === 0) break;
      for (const r of batch) {
        if (r.value) out.push(JSON.parse(r.value.toString('utf8')) as Command);
        offset = r.offset + 1;
      }
    }
    this.next = end;
    return out;
  }

  /** Appends a command that has run successfully; returns its sequence number. */
  async append(commandId: string, command: Command, status: CommandStatus): Promise<number> {
    const offset = await this.topics.append(this.topic, 0, [{
      key: Buffer.from(commandId), value: Buffer.from(JSON.stringify(command)), timestamp: Date.now(), headers: [],
    }]);
    this.next = offset + 1;
    this.statuses.set(commandId, status);
    return offset;
  }
}

/**
 * Wraps the real host so that queries started during replay only start once replay ends (a query
 * terminated later in the log never runs, and none processes records while the catalog is partial).
 */
export class ReplayingHost implements QueryHost {
  private replaying = false;
  private readonly pending = new Map<string, PersistentQuery>();

  constructor(private readonly inner: QueryHost) {}

  beginReplay(): void {
    this.replaying = true;
  }

  async endReplay(): Promise<void> {
    this.replaying = false;
    const queries = [...this.pending.values()];
    this.pending.clear();
    for (const q of queries) if (q.state !== 'PAUSED') await this.inner.start(q);
  }

  async start(query: PersistentQuery): Promise<void> {
    if (this.replaying) this.pending.set(query.id, query);
    else await this.inner.start(query);
  }

  async stop(query: PersistentQuery, options: { cleanup: boolean }): Promise<void> {
    if (this.pending.delete(query.id)) return;
    await this.inner.stop(query, options);
  }

  async pause(query: PersistentQuery): Promise<void> {
    if (this.pending.has(query.id)) return;
    await this.inner.pause?.(query);
  }

  async resume(query: PersistentQuery): Promise<void> {
    if (this.pending.has(query.id)) return;
    await this.inner.resume?.(query);
  }
}

/** Replays recorded commands into a fresh engine; returns the commands that failed (logged, skipped). */
export async function replayCommands(engine: Engine, log: CommandLog, commands: readonly Command[], host: ReplayingHost): Promise<string[]> {
  const failures: string[] = [];
  host.beginReplay();
  try {
    let seq = 0;
    for (const c of commands) {
      try {
        for (const parsed of parseScript(c.statement)) {
          engine.queryNumber = c.queryNumber;
          const result = await engine.execute(replayable(parsed), c.streamsProperties);
          if (result.kind === 'status') {
            log.statuses.set(result.commandId, { status: 'SUCCESS', message: result.message, queryId: result.queryId ?? null });
          }
        }
      } catch (e) {
        failures.push(`command ${seq} (${c.statement}): ${(e as Error).message}`);
      }
      seq++;
    }
  } finally {
    await host.endReplay();
  }
  return failures;
}

function replayable(parsed: ParsedStatement): ParsedStatement {
  const s = parsed.statement;
  if (s.kind === 'DropSource' && s.deleteTopic) return { ...parsed, statement: { ...s, deleteTopic: false } };
  return parsed;
}
