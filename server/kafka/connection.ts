/**
 * One client connection: splits the byte stream on int32 size prefixes (a read may hold several
 * frames or part of one), answers requests strictly one at a time in arrival order (as Kafka does:
 * a held JoinGroup or long-poll Fetch delays only its own connection), and frames the answers.
 * Anything malformed closes this connection only.
 */
import type { Socket } from 'node:net';
import { unsupportedApiVersionsResponse } from './apis/api-versions.js';
import { HANDLERS } from './apis/index.js';
import { ProtocolError, Reader, type Writer } from './codec.js';
import type { BrokerContext, ConnectionInfo, RequestHeader } from './context.js';
import { ApiKey, SUPPORTED, isFlexible } from './protocol.js';

export class Connection implements ConnectionInfo {
  readonly clientHost: string;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private readonly queue: Buffer[] = [];
  private processing = false;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly broker: BrokerContext,
    private readonly maxFrameBytes: number,
    private readonly onClosed: (c: Connection) => void,
  ) {
    this.clientHost = socket.remoteAddress ?? '';
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.chunks = [];
    this.queue.length = 0;
    this.socket.destroy();
    this.onClosed(this);
  }

  private onData(d: Buffer): void {
    if (this.closed) return;
    this.chunks.push(d);
    this.buffered += d.length;
    while (this.buffered >= 4) {
      const head = this.chunks[0]!.length >= 4 ? this.chunks[0]! : Buffer.concat(this.chunks);
      const size = head.readInt32BE(0);
      if (size < 8 || size > this.maxFrameBytes) {
        this.broker.log('warn', `closing ${this.clientHost}: bad frame size ${size}`);
        this.close();
        return;
      }
      if (this.buffered < size + 4) break;
      const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
      this.queue.push(all.subarray(4, 4 + size));
      const rest = all.subarray(4 + size);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
    }
    if (!this.processing) void this.drain();
  }

  private async drain(): Promise<void> {
    this.processing = true;
    try {
      while (!this.closed && this.queue.length > 0) await this.handle(this.queue.shift()!);
    } catch (e) {
      if (e instanceof ProtocolError || e instanceof RangeError) this.broker.log('warn', `closing ${this.clientHost}: malformed request: ${e.message}`);
      else this.broker.log('error', `closing ${this.clientHost}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      this.close();
    } finally {
      this.processing = false;
    }
  }

  private async handle(frame: Buffer): Promise<void> {
    const r = new Reader(frame);
    const apiKey = r.int16();
    const apiVersion = r.int16();
    const correlationId = r.int32();
    const clientId = r.nullableString();
    const header: RequestHeader = { apiKey, apiVersion, correlationId, clientId };
    const range = SUPPORTED.get(apiKey);
    if (apiKey === ApiKey.ApiVersions && (!range || apiVersion > range.max || apiVersion < 0)) {
      this.send(correlationId, false, unsupportedApiVersionsResponse());
      return;
    }
    const handler = HANDLERS.get(apiKey);
    if (!range || !handler || apiVersion < range.min || apiVersion > range.max) {
      // Kafka cannot answer in a format the client would parse: it closes the connection.
      throw new ProtocolError(`unsupported API ${apiKey} v${apiVersion}`);
    }
    const flexible = isFlexible(apiKey, apiVersion);
    if (flexible) r.skipTags();
    const body = await handler(r, header, this.broker, this);
    if (body === null || this.closed) return;
    // ApiVersions answers with response header v0 even when flexible (reference §2).
    this.send(correlationId, flexible && apiKey !== ApiKey.ApiVersions, body);
  }

  private send(correlationId: number, headerTags: boolean, body: Writer): void {
    if (this.closed) return;
    const head = Buffer.allocUnsafe(headerTags ? 9 : 8);
    head.writeInt32BE(body.length + head.length - 4, 0);
    head.writeInt32BE(correlationId, 4);
    if (headerTags) head[8] = 0;
    const parts = body.buffers();
    this.socket.cork();
    this.socket.write(head);
    for (const p of parts) this.socket.write(p);
    this.socket.uncork();
  }
}
