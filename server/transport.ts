/**
 * One port for HTTP/1.1 and cleartext HTTP/2 (h2c with prior knowledge), as ksqlDB serves them.
 * Node's `http2.createServer()` does not accept HTTP/1.1 without TLS, so each new socket is sniffed:
 * if its first bytes are the HTTP/2 connection preface it goes to an `http2` server, otherwise to
 * the `http` server. Both call the same request handler (fastify's), so routes see either
 * `IncomingMessage` or `Http2ServerRequest` through the same compatibility API.
 */
import http from 'node:http';
import http2 from 'node:http2';
import type { Socket } from 'node:net';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface DualServer {
  readonly http1: http.Server;
  readonly http2: http2.Http2Server;
  /** Destroys every open connection (both protocols). */
  destroyConnections(): void;
}

export function createDualServer(handler: Handler): DualServer {
  const h1 = http.createServer(handler);
  const h2 = http2.createServer({ settings: { enableConnectProtocol: false } }, handler as unknown as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void);
  const sockets = new Set<Socket>();
  const sessions = new Set<http2.Http2Session>();
  h2.on('session', (s: http2.Http2Session) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  const h1Listeners = h1.listeners('connection') as ((s: Socket) => void)[];
  h1.removeAllListeners('connection');
  h1.on('connection', (sock: Socket) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    const route = () => {
      const n = Math.min(PREFACE.length, sock.readableLength);
      if (n === 0) {
        sock.once('readable', route);
        return;
      }
      const head = sock.read(n) as Buffer | null;
      if (head === null) {
        sock.once('readable', route);
        return;
      }
      sock.unshift(head);
      if (head.length < PREFACE.length && PREFACE.subarray(0, head.length).equals(head) && head.length < 3) {
        // too few bytes to tell ("PR" could start either); wait for more
        sock.once('readable', route);
        return;
      }
      if (PREFACE.subarray(0, head.length).equals(head)) h2.emit('connection', sock);
      else for (const l of h1Listeners) l.call(h1, sock);
    };
    sock.once('readable', route);
  });
  return {
    http1: h1,
    http2: h2,
    destroyConnections() {
      for (const s of sessions) s.destroy();
      for (const s of sockets) s.destroy();
    },
  };
}

/** Whether a request arrived over HTTP/2. */
export function isHttp2(req: { httpVersionMajor?: number; raw?: { httpVersionMajor?: number } }): boolean {
  return (req.raw?.httpVersionMajor ?? req.httpVersionMajor) === 2;
}
