/**
 * The web console: a dependency-free page (HTML, CSS and vanilla ES modules in `public/`) served at
 * `GET /`, its assets under `GET /console/<file>`. It talks to the server only through the public
 * REST API (`/ksql`, `/query-stream`, `/close-query`, `/info`), like any other client.
 *
 * ksqlDB answers `GET /` with a 307 to `/info`; Sluice keeps that for clients that ask for JSON
 * (an `Accept` naming a JSON type and not HTML) and serves the console to everyone else.
 *
 * Assets are read once, at registration, into memory and answered by exact name only (no paths
 * reach the file system per request). Every response carries a strong ETag and `no-cache`, so a
 * browser revalidates (304) and never runs stale scripts after an upgrade.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** Only same-origin resources: the console works without any network but the server's own. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
  + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface ConsoleAsset {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

export interface ConsoleOptions {
  /** Directory of the page's files (default: `public/` beside this module). */
  readonly dir?: string;
}

/** The default asset directory; also found from a compiled copy under `dist/`. */
export function defaultConsoleDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [join(here, 'public'), join(here, '..', '..', '..', 'server', 'console', 'public')];
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? candidates[0]!;
}

export function loadConsoleAssets(dir: string): Map<string, ConsoleAsset> {
  const assets = new Map<string, ConsoleAsset>();
  for (const name of readdirSync(dir)) {
    const contentType = CONTENT_TYPES[extname(name).toLowerCase()];
    if (!contentType || name.startsWith('.')) continue;
    const body = readFileSync(join(dir, name));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    assets.set(name, { body, contentType, etag });
  }
  return assets;
}

/** True when the client asked for JSON rather than a page (then `/` keeps ksqlDB's redirect to `/info`). */
export function wantsJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.toLowerCase().split(',').map((p) => p.split(';')[0]!.trim());
  if (types.some((t) => t === 'text/html' || t === 'application/xhtml+xml')) return false;
  return types.some((t) => t === 'application/json' || t.endsWith('+json'));
}

function send(req: FastifyRequest, reply: FastifyReply, asset: ConsoleAsset): FastifyReply {
  reply
    .header('cache-control', 'no-cache')
    .header('etag', asset.etag)
    .header('x-content-type-options', 'nosniff');
  if (asset.contentType.startsWith('text/html')) {
    reply.header('content-security-policy', CSP).header('referrer-policy', 'no-referrer');
  }
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === asset.etag)) {
    return reply.code(304).send();
  }
  return reply.code(200).type(asset.contentType).send(asset.body);
}

export function registerConsole(app: FastifyInstance, options: ConsoleOptions = {}): void {
  const assets = loadConsoleAssets(options.dir ?? defaultConsoleDir());
  const page = assets.get('index.html');
  if (!page) throw new Error(`The web console has no index.html in ${options.dir ?? defaultConsoleDir()}`);

  app.get('/', async (req, reply) => {
    if (wantsJson(req.headers.accept)) return reply.redirect('/info', 307);
    return send(req, reply, page);
  });
  app.get('/console', async (_req, reply) => reply.redirect('/', 308));
  app.get('/console/', async (_req, reply) => reply.redirect('/', 308));
  app.get('/console/:file', async (req, reply) => {
    const { file } = req.params as { file: string };
    const asset = assets.get(file);
    if (!asset) {
      return reply.code(404).type('application/json')
        .send({ '@type': 'generic_error', error_code: 40400, message: `No console file ${file}` });
    }
    return send(req, reply, asset);
  });
}
