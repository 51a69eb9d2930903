/**
 * The interactive CLI (`sluice` / `sluice cli [URL]`), after ksqlDB's (reference §2): banner with the
 * server version, multi-line statements ended by `;`, persistent history, completion of keywords
 * and source names, TABULAR or JSON output, push queries that stream until Ctrl-C (which closes the
 * query on the server), PRINT, RUN SCRIPT, SET/UNSET/SHOW PROPERTIES, DEFINE/UNDEFINE/SHOW VARIABLES,
 * and errors shown with the statement line and a caret under the position.
 *
 * Works on a terminal or on piped stdin (one statement per `;`, exits at end of input).
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import readline from 'node:readline';
import { ParseFailedException, parseScript, type ParsedStatement } from '../../engine/index.js';
import { formatEntity, RowTable } from './format.js';

const VERSION = '0.1.0';
const KEYWORDS = [
  'SELECT', 'FROM', 'WHERE', 'EMIT', 'CHANGES', 'FINAL', 'LIMIT', 'GROUP', 'BY', 'PARTITION', 'HAVING', 'WINDOW', 'TUMBLING',
  'HOPPING', 'SESSION', 'JOIN', 'LEFT', 'INNER', 'FULL', 'OUTER', 'ON', 'WITHIN', 'CREATE', 'STREAM', 'TABLE', 'AS', 'WITH',
  'INSERT', 'INTO', 'VALUES', 'DROP', 'DELETE', 'TOPIC', 'SHOW', 'LIST', 'STREAMS', 'TABLES', 'TOPICS', 'QUERIES', 'PROPERTIES',
  'FUNCTIONS', 'TYPES', 'VARIABLES', 'DESCRIBE', 'EXTENDED', 'EXPLAIN', 'TERMINATE', 'PRINT', 'BEGINNING', 'INTERVAL', 'SET',
  'UNSET', 'DEFINE', 'UNDEFINE', 'RUN', 'SCRIPT', 'KEY', 'PRIMARY', 'TYPE', 'IF', 'EXISTS', 'NOT', 'AND', 'OR', 'CAST',
  'EXIT', 'HELP', 'OUTPUT', 'HISTORY', 'VERSION', 'SERVER',
];

export interface ReplOptions {
  readonly server: string;
  readonly output?: 'TABULAR' | 'JSON';
  readonly execute?: string;
  readonly file?: string;
  readonly variables?: Record<string, string>;
  readonly historyFile?: string;
  readonly input?: NodeJS.ReadableStream;
  readonly out?: NodeJS.WritableStream;
}

export async function runRepl(options: ReplOptions): Promise<number> {
  const repl = new Repl(options);
  return repl.run();
}

class Repl {
  private server: string;
  private output: 'TABULAR' | 'JSON';
  private readonly properties = new Map<string, string>();
  private readonly variables = new Map<string, string>();
  private readonly history: string[] = [];
  private readonly historyFile: string;
  private sources: string[] = [];
  private buffer = '';
  private running: { cancel(): void } | undefined;
  private readonly out: NodeJS.WritableStream;

  constructor(private readonly options: ReplOptions) {
    this.server = options.server.replace(/\/$/, '');
    this.output = options.output ?? 'TABULAR';
    this.out = options.out ?? process.stdout;
    this.historyFile = options.historyFile ?? process.env.KSQL_HISTORY_FILE ?? join(homedir(), '.ksql-history');
    for (const [k, v] of Object.entries(options.variables ?? {})) this.variables.set(k, v);
  }

  private print(s: string): void {
    this.out.write(s);
  }

  async run(): Promise<number> {
    let info: { KsqlServerInfo?: { version?: string; serverStatus?: string } };
    try {
      info = await (await fetch(`${this.server}/info`)).json() as typeof info;
    } catch {
      this.print(`\n**************** ERROR ********************\nRemote server at ${this.server} does not appear to be a valid KSQL\nserver. Please ensure that the URL provided is for an active KSQL server.\n\nThe server responded with the following error: \nError issuing GET to KSQL server. path:/info\n*******************************************\n\n`);
      if (this.options.execute || this.options.file) return 1;
      info = {};
    }
    if (this.options.execute !== undefined) return (await this.handle(this.options.execute)) ? 0 : 1;
    if (this.options.file !== undefined) return (await this.handle(readFileSync(this.options.file, 'utf8'))) ? 0 : 1;
    this.print(banner(VERSION, info.KsqlServerInfo?.version ?? '<unknown>', this.server, info.KsqlServerInfo?.serverStatus ?? 'UNKNOWN'));
    await this.refreshSources();
    return this.loop();
  }

  private loop(): Promise<number> {
    const input = this.options.input ?? process.stdin;
    const terminal = Boolean((input as { isTTY?: boolean }).isTTY);
    const rl = readline.createInterface({
      input, output: this.out, terminal, historySize: 1000,
      completer: (line: string) => this.complete(line),
      history: existsSync(this.historyFile) ? readFileSync(this.historyFile, 'utf8').split('\n').filter(Boolean).reverse() : [],
    } as readline.ReadLineOptions);
    rl.setPrompt('ksql> ');
    rl.prompt();
    let queue = Promise.resolve();
    let closing = false;
    rl.on('SIGINT', () => {
      if (this.running) { this.running.cancel(); return; }
      this.buffer = '';
      this.print('^C\n');
      rl.setPrompt('ksql> ');
      rl.prompt();
    });
    process.on('SIGINT', () => {
      if (this.running) this.running.cancel();
      else if (!terminal) { rl.close(); }
    });
    return new Promise((resolve) => {
      rl.on('line', (line) => {
        queue = queue.then(async () => {
          if (closing) return;
          const done = await this.feed(line);
          if (done) { closing = true; rl.close(); return; }
          rl.setPrompt(this.buffer ? '>' : 'ksql> ');
          rl.prompt();
        });
      });
      rl.on('close', () => {
        void queue.then(() => {
          this.print('Exiting ksqlDB.\n');
          resolve(0);
        });
      });
    });
  }

  private complete(line: string): [string[], string] {
    const word = /[A-Za-z_][A-Za-z0-9_]*$/.exec(line)?.[0] ?? '';
    const pool = [...KEYWORDS, ...this.sources];
    const hits = pool.filter((k) => k.toLowerCase().startsWith(word.toLowerCase()));
    const upper = word === word.toUpperCase();
    return [hits.map((h) => (upper ? h : h.toLowerCase())), word];
  }

  private remember(text: string): void {
    this.history.push(text);
    try { appendFileSync(this.historyFile, `${text.replace(/\n/g, ' ')}\n`); } catch { /* history is best effort */ }
  }

  /** Feeds one input line; returns true to exit. */
  private async feed(line: string): Promise<boolean> {
    if (!this.buffer) {
      const trimmed = line.trim();
      if (!trimmed) return false;
      const cmd = await this.cliCommand(trimmed);
      if (cmd !== undefined) { this.remember(trimmed); return cmd; }
    }
    this.buffer = this.buffer ? `${this.buffer}\n${line}` : line;
    if (!complete(this.buffer)) return false;
    const text = this.buffer;
    this.buffer = '';
    this.remember(text);
    await this.handle(text);
    return false;
  }

  /** CLI-specific commands (no `;` needed). Returns true to exit, false when handled, undefined otherwise. */
  private async cliCommand(line: string): Promise<boolean | undefined> {
    const clean = line.replace(/;$/, '').trim();
    const [word = '', ...args] = clean.split(/\s+/);
    const arg = args.join(' ').replace(/^'(.*)'$/, '$1');
    switch (word.toLowerCase()) {
      case 'exit': case 'quit': return true;
      case 'help': this.print(HELP); return false;
      case 'version': this.print(`Version: ${VERSION}\n`); return false;
      case 'clear': this.print('\x1b[2J\x1b[H'); return false;
      case 'history': this.history.forEach((h, i) => this.print(`${String(i + 1).padStart(4)}: ${h}\n`)); return false;
      case 'server':
        if (arg) { this.server = arg.replace(/\/$/, ''); this.print(`Server now: ${this.server}\n`); } else this.print(`${this.server}\n`);
        return false;
      case 'output':
        if (!arg) { this.print(`Current output format: ${this.output}\n`); return false; }
        if (arg.toUpperCase() !== 'JSON' && arg.toUpperCase() !== 'TABULAR') {
          this.print(`Invalid output format: '${arg}' (valid formats: 'JSON', 'TABULAR')\n`);
          return false;
        }
        this.output = arg.toUpperCase() as 'JSON' | 'TABULAR';
        this.print(`Output format set to ${this.output}\n`);
        return false;
      case 'run':
        if (args[0]?.toLowerCase() === 'script') {
          const path = args.slice(1).join(' ').replace(/;$/, '').replace(/^'(.*)'$/, '$1');
          let content: string;
          try { content = readFileSync(path, 'utf8'); } catch (e) { this.print(`${(e as Error).message}\n`); return false; }
          await this.ksql(content);
          return false;
        }
        return undefined;
      default: return undefined;
    }
  }

  /** Runs a complete input (one or more statements). Returns false when something failed. */
  private async handle(text: string): Promise<boolean> {
    let statements: ParsedStatement[];
    try {
      statements = parseScript(text, { variables: Object.fromEntries(this.variables), allowRunScript: true } as never);
    } catch (e) {
      this.showError(e, text);
      return false;
    }
    let batch: string[] = [];
    const flush = async () => {
      if (!batch.length) return true;
      const ok = await this.ksql(batch.join('\n'));
      batch = [];
      return ok;
    };
    for (const s of statements) {
      const st = s.statement;
      const local = ['SetProperty', 'UnsetProperty', 'DefineVariable', 'UndefineVariable', 'Query', 'Print', 'RunScript'].includes(st.kind)
        || (st.kind === 'Show' && st.what === 'VARIABLES');
      if (!local) { batch.push(s.text); continue; }
      if (!(await flush())) return false;
      switch (st.kind) {
        case 'SetProperty': {
          const res = await fetch(`${this.server}/is_valid_property/${encodeURIComponent(st.name)}`);
          if (res.status !== 200) { this.print(`${((await res.json()) as { message: string }).message}\n`); return false; }
          const old = this.properties.get(st.name);
          this.properties.set(st.name, st.value);
          this.print(old === undefined
            ? `Successfully changed local property '${st.name}' to '${st.value}'. Use the UNSET command to revert your change.\n`
            : `Successfully changed local property '${st.name}' from '${old}' to '${st.value}'.\n`);
          break;
        }
        case 'UnsetProperty': {
          const old = this.properties.get(st.name);
          if (old === undefined) { this.print(`Cannot unset local property '${st.name}' which was never set in the first place\n`); return false; }
          this.properties.delete(st.name);
          this.print(`Successfully unset local property '${st.name}' (value was '${old}').\n`);
          break;
        }
        case 'DefineVariable': this.variables.set(st.name, st.value); break;
        case 'UndefineVariable':
          if (!this.variables.delete(st.name)) this.print(`Cannot undefine variable '${st.name}' which was never defined.\n`);
          break;
        case 'Show': this.printEntities([{ '@type': 'variables', statementText: s.text, variables: [...this.variables].map(([name, value]) => ({ name, value })) }]); break;
        case 'Query': if (!(await this.query(s.text))) return false; break;
        case 'Print': await this.printTopic(s.text); break;
        case 'RunScript': await this.cliCommand(`run script ${st.path}`); break;
        default: break;
      }
    }
    return flush();
  }

  private showError(e: unknown, text: string): void {
    const message = e instanceof ParseFailedException ? e.unloggedMessage : e instanceof Error ? e.message : String(e);
    this.print(`${message}\n`);
    const span = e instanceof ParseFailedException ? e.span : undefined;
    const m = span ? { line: span.line, column: span.column } : parseLocation(message);
    if (m) {
      const lines = text.split('\n');
      const l = lines[m.line - 1];
      if (l !== undefined) this.print(`${l}\n${' '.repeat(Math.max(0, m.column - 1))}^\n`);
    }
  }

  private async ksql(text: string): Promise<boolean> {
    const res = await fetch(`${this.server}/ksql`, {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/vnd.ksql.v1+json' },
      body: JSON.stringify({ ksql: text, streamsProperties: Object.fromEntries(this.properties) }),
    });
    const body = await res.json() as unknown;
    if (res.status !== 200) {
      const err = body as { message?: string; statementText?: string; entities?: unknown[] };
      if (err.entities?.length) this.printEntities(err.entities as Record<string, unknown>[]);
      this.showError(new Error(err.message ?? JSON.stringify(body)), err.statementText ?? text);
      return false;
    }
    this.printEntities(body as Record<string, unknown>[]);
    if (/\b(CREATE|DROP)\b/i.test(text)) await this.refreshSources();
    return true;
  }

  private printEntities(entities: readonly Record<string, unknown>[]): void {
    if (this.output === 'JSON') { this.print(`${jacksonPretty(entities)}\n`); return; }
    for (const e of entities) {
      this.print(entities.length > 1 ? `\n${String(e.statementText ?? '')}\n` : '\n');
      this.print(formatEntity(e as Record<string, unknown> & { '@type': string }));
      for (const w of (e.warnings as { message: string }[] | undefined) ?? []) this.print(`WARNING: ${w.message}\n`);
    }
  }

  /** SELECT over /query; Ctrl-C closes the query on the server and returns to the prompt. */
  private async query(text: string): Promise<boolean> {
    const controller = new AbortController();
    let queryId: string | undefined;
    let cancelled = false;
    this.running = {
      cancel: () => {
        cancelled = true;
        if (queryId) void fetch(`${this.server}/close-query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ queryId }) }).catch(() => {});
        setTimeout(() => controller.abort(), 200);
      },
    };
    try {
      const res = await fetch(`${this.server}/query`, {
        method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, signal: controller.signal,
        body: JSON.stringify({ ksql: text, streamsProperties: Object.fromEntries(this.properties) }),
      });
      if (res.status !== 200) {
        const err = await res.json() as { message?: string; statementText?: string };
        this.showError(new Error(err.message ?? 'query failed'), err.statementText ?? text);
        return false;
      }
      let table: RowTable | undefined;
      let pending = '';
      const decoder = new TextDecoder();
      const handleLine = (raw: string) => {
        let line = raw.trim();
        if (line.startsWith('[')) line = line.slice(1);
        if (line.endsWith(',') || line.endsWith(']')) line = line.slice(0, -1);
        if (!line) return;
        const obj = JSON.parse(line) as Record<string, unknown>;
        if (obj.header) {
          const h = obj.header as { queryId: string; schema: string };
          queryId = h.queryId;
          const cols = splitSchema(h.schema);
          table = new RowTable(cols, (this.out as { columns?: number }).columns ?? 100);
          if (this.output === 'JSON') this.print(`${jacksonPretty(obj)}\n`);
          else this.print(table.header());
        } else if (obj.row) {
          const r = obj.row as { columns: unknown[]; tombstone?: boolean };
          this.print(this.output === 'JSON' ? `${jacksonPretty(obj)}\n` : table!.row(r.columns, r.tombstone));
        } else if (obj.finalMessage) {
          this.print(`${String(obj.finalMessage)}\n`);
        } else if (obj.errorMessage) {
          this.print(`${String((obj.errorMessage as { message: string }).message)}\n`);
        }
      };
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          pending += decoder.decode(chunk, { stream: true });
          let i: number;
          while ((i = pending.indexOf('\n')) >= 0) { handleLine(pending.slice(0, i)); pending = pending.slice(i + 1); }
          // An element arrives without its line end until the next one; show it as soon as it is whole.
          if (pending.trim()) {
            try { handleLine(pending); pending = ''; } catch { /* incomplete: wait for more */ }
          }
        }
        if (pending.trim()) handleLine(pending);
      } catch (e) {
        if (!cancelled) throw e;
      }
      this.print('Query terminated\n');
      return true;
    } catch (e) {
      if (cancelled) { this.print('Query terminated\n'); return true; }
      this.print(`${(e as Error).message}\n`);
      return false;
    } finally {
      this.running = undefined;
    }
  }

  private async printTopic(text: string): Promise<void> {
    const controller = new AbortController();
    this.running = { cancel: () => controller.abort() };
    try {
      const res = await fetch(`${this.server}/query`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, signal: controller.signal,
        body: JSON.stringify({ ksql: text, streamsProperties: Object.fromEntries(this.properties) }),
      });
      if (res.status !== 200) {
        this.print(`${((await res.json()) as { message: string }).message}\n`);
        return;
      }
      const decoder = new TextDecoder();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        const s = decoder.decode(chunk, { stream: true });
        if (s.trim()) this.print(s.replace(/^\n+/gm, ''));
      }
    } catch {
      // Ctrl-C aborts the request; the server ends the PRINT when the connection closes
    } finally {
      this.running = undefined;
      this.print('Topic printing ceased\n');
    }
  }

  private async refreshSources(): Promise<void> {
    try {
      const res = await fetch(`${this.server}/ksql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: 'SHOW STREAMS; SHOW TABLES;' }) });
      const body = await res.json() as { streams?: { name: string }[]; tables?: { name: string }[] }[];
      this.sources = body.flatMap((e) => [...(e.streams ?? []), ...(e.tables ?? [])].map((s) => s.name));
    } catch {
      this.sources = [];
    }
  }
}

/** Whether the buffered input is a complete statement: ends with `;` outside quotes and comments. */
export function complete(text: string): boolean {
  let quote: string | undefined;
  let last = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '`' || c === '"') { quote = c; last = c; continue; }
    if (c === '-' && text[i + 1] === '-') { const nl = text.indexOf('\n', i); if (nl < 0) break; i = nl; continue; }
    if (c === '/' && text[i + 1] === '*') { const end = text.indexOf('*/', i + 2); if (end < 0) return false; i = end + 1; continue; }
    if (!/\s/.test(c)) last = c;
  }
  return !quote && last === ';';
}

function parseLocation(message: string): { line: number; column: number } | undefined {
  const m = /line (\d+):(\d+)/.exec(message);
  return m ? { line: Number(m[1]), column: Number(m[2]) + 1 } : undefined;
}

/** Column names of a header schema string (`` `A` INT, `B` STRING KEY ``). */
function splitSchema(schema: string): string[] {
  return [...schema.matchAll(/`((?:[^`]|``)*)`\s+[^,`]*(?:<[^>]*>)?[^,]*/g)].map((m) => m[1]!.replace(/``/g, '`'));
}

/** Jackson's default pretty printer (`"key" : value`). */
function jacksonPretty(v: unknown): string {
  return JSON.stringify(v, null, 2).replace(/^(\s*"(?:[^"\\]|\\.)*"): /gm, '$1 : ');
}

function banner(cli: string, server: string, url: string, status: string): string {
  return `
                  ===========================================
                  =       _              _ ____  ____       =
                  =      | | _____  __ _| |  _ \\| __ )      =
                  =      | |/ / __|/ _\` | | | | |  _ \\      =
                  =      |   <\\__ \\ (_| | | |_| | |_) |     =
                  =      |_|\\_\\___/\\__, |_|____/|____/      =
                  =                   |_|                   =
                  =        The Database purpose-built       =
                  =        for stream processing apps       =
                  ===========================================

Copyright 2017-2022 Confluent Inc.

CLI v${cli}, Server v${server} located at ${url}
Server Status: ${status}

Having trouble? Type 'help' (case-insensitive) for a rundown of how things work!

`;
}

const HELP = `
Description:
  The KSQL CLI provides a terminal-based interactive shell for running queries. Each command should be on a separate line.
  For KSQL command syntax, see the documentation at https://github.com/confluentinc/ksql/docs/.

  help:            Show this message.
  clear:           Clear the current terminal.
  output:          View the current output format; 'output JSON' or 'output TABULAR' changes it.
  history:         Show previous lines entered during the current CLI session.
  version:         Get the current KSQL version.
  exit:            Exit the CLI.
  server:          Show the server; 'server <url>' changes it.
  run script:      Run a file of statements: run script '<path>'.

Default behavior:
    Lines are read one at a time and are sent to the server as KSQL unless one of the following is true:
    1. The line is empty or entirely whitespace. In this case, no request is made to the server.
    2. The line ends with backslash ('\\'). In this case, lines are continuously read and stripped of
       their trailing newline and '\\' until one is encountered that does not end with '\\'.
`;
