// The REST calls the console makes: POST /ksql, POST /query-stream (delimited, read as it streams),
// POST /close-query and GET /info. Nothing here touches the page.

export const DELIMITED = 'application/vnd.ksqlapi.delimited.v1';

/**
 * @typedef {{ message: string, status: number, errorCode?: number, statementText?: string, entities?: unknown[], hint?: string }} ApiError
 * @typedef {{ properties: Record<string, string>, variables: Record<string, string> }} Session
 */

/**
 * Turns a failed response into an ApiError, whatever its body (ksqlDB's error entity, fastify's
 * error object, or text).
 * @param {Response} res
 * @param {string} endpoint
 * @returns {Promise<ApiError>}
 */
export async function readError(res, endpoint) {
  const text = await res.text().catch(() => '');
  /** @type {any} */
  let body;
  try { body = JSON.parse(text); } catch { body = undefined; }
  /** @type {ApiError} */
  const err = {
    status: res.status,
    message: (body && typeof body.message === 'string' && body.message) || text.trim() || `${res.status} ${res.statusText}`,
  };
  if (body && typeof body.error_code === 'number') err.errorCode = body.error_code;
  if (body && typeof body.statementText === 'string') err.statementText = body.statementText;
  if (body && Array.isArray(body.entities)) err.entities = body.entities;
  if (res.status === 404 && !err.errorCode) {
    err.hint = `This server has no ${endpoint} endpoint.`;
  }
  return err;
}

/**
 * POST /ksql with the page's session properties and variables.
 * @param {string} text
 * @param {Session} session
 * @returns {Promise<{ ok: true, entities: any[] } | { ok: false, error: ApiError }>}
 */
export async function ksql(text, session) {
  let res;
  try {
    res = await fetch('/ksql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/vnd.ksql.v1+json, application/json' },
      body: JSON.stringify({ ksql: text, streamsProperties: session.properties, sessionVariables: session.variables }),
    });
  } catch (e) {
    return { ok: false, error: { status: 0, message: `Could not reach the server: ${messageOf(e)}` } };
  }
  if (!res.ok) return { ok: false, error: await readError(res, '/ksql') };
  try {
    const body = await res.json();
    return { ok: true, entities: Array.isArray(body) ? body : [body] };
  } catch (e) {
    return { ok: false, error: { status: res.status, message: `The server's answer was not JSON: ${messageOf(e)}` } };
  }
}

/** @returns {Promise<any>} */
export async function serverInfo() {
  const res = await fetch('/info', { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`GET /info: ${res.status}`);
  return res.json();
}

/**
 * @typedef {{
 *   header?: (meta: { queryId?: string|null, columnNames: string[], columnTypes: string[] }) => void,
 *   row?: (values: unknown[]) => void,
 *   line?: (text: string) => void,
 *   streamError?: (message: string) => void,
 * }} StreamHandlers
 * @typedef {{ how: 'ended' } | { how: 'stopped' } | { how: 'error', error: ApiError }} StreamEnd
 */

/**
 * Starts a query on POST /query-stream and reads the delimited answer as it arrives: for a SELECT
 * the first line is the metadata and every further line a JSON array (a JSON object there is an
 * error the server sent mid-stream); for PRINT every line is text.
 * `stop()` asks the server to close the query (POST /close-query) and then drops the connection.
 * @param {string} sql
 * @param {Session} session
 * @param {'query'|'print'} mode
 * @param {StreamHandlers} on
 */
export function openQueryStream(sql, session, mode, on) {
  const controller = new AbortController();
  let stopped = false;
  /** @type {string | null} */
  let queryId = null;

  /** @type {Promise<StreamEnd>} */
  const done = (async () => {
    let res;
    try {
      res = await fetch('/query-stream', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: DELIMITED },
        body: JSON.stringify({ sql, properties: session.properties, sessionVariables: session.variables }),
        signal: controller.signal,
      });
    } catch (e) {
      if (stopped) return { how: 'stopped' };
      return { how: 'error', error: { status: 0, message: `Could not reach the server: ${messageOf(e)}` } };
    }
    if (!res.ok) return { how: 'error', error: await readError(res, '/query-stream') };
    if (!res.body) return { how: 'error', error: { status: res.status, message: 'The response has no body' } };
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let first = true;
    /** @param {string} line */
    const handle = (line) => {
      if (mode === 'print') { on.line?.(line); return; }
      if (!line.trim()) return;
      let value;
      try { value = JSON.parse(line); } catch { on.streamError?.(`Unreadable line from the server: ${line}`); return; }
      if (first) {
        first = false;
        if (value && Array.isArray(value.columnNames)) {
          queryId = typeof value.queryId === 'string' ? value.queryId : null;
          on.header?.(value);
          return;
        }
      }
      if (Array.isArray(value)) on.row?.(value);
      else on.streamError?.(typeof value?.message === 'string' ? value.message : JSON.stringify(value));
    };
    try {
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        buffer += value;
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          handle(buffer.slice(0, nl));
          buffer = buffer.slice(nl + 1);
        }
      }
      if (buffer) handle(buffer);
    } catch (e) {
      if (stopped) return { how: 'stopped' };
      return { how: 'error', error: { status: 0, message: `The connection broke: ${messageOf(e)}` } };
    }
    return stopped ? { how: 'stopped' } : { how: 'ended' };
  })();

  return {
    done,
    get queryId() { return queryId; },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (queryId) {
        try {
          await fetch('/close-query', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ queryId }),
            signal: AbortSignal.timeout(3000),
          });
        } catch {
          // the abort below ends it anyway
        }
      }
      controller.abort();
    },
  };
}

/** @param {unknown} e */
export function messageOf(e) {
  return e instanceof Error ? e.message : String(e);
}
