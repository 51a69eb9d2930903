// The console page: editor, results and the catalog sidebar, wired to the REST API.
import { ksql, messageOf, openQueryStream, serverInfo } from './api.js';
import { cell, h, renderEntity, renderError } from './render.js';
import { errorOffset, lineAndColumn, plan, quoteIdentifier, stripComments } from './sql.js';

const MAX_ROWS = 1000;
const MAX_CARDS = 30;
const HISTORY_KEY = 'sluice.console.history';
const SESSION_KEY = 'sluice.console.session';

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const editor = /** @type {HTMLTextAreaElement} */ ($('editor'));
const form = /** @type {HTMLFormElement} */ ($('editor-form'));
const runButton = /** @type {HTMLButtonElement} */ ($('run'));
const stopAllButton = /** @type {HTMLButtonElement} */ ($('stop-all'));
const offsetSelect = /** @type {HTMLSelectElement} */ ($('offset-reset'));
const results = $('results');
const statusLine = $('status');

/** @type {import('./api.js').Session} */
const session = loadSession();
/** Queries streaming now, oldest first. @type {Array<{ stop: () => Promise<void>, label: string }>} */
const running = [];
let busy = 0;

// ---------------------------------------------------------------------------------------------
// Session properties and variables (SET / UNSET / DEFINE / UNDEFINE), kept for this browser tab

function loadSession() {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? '');
    if (s && typeof s.properties === 'object' && typeof s.variables === 'object') return s;
  } catch { /* none saved */ }
  return { properties: {}, variables: {} };
}

function saveSession() {
  try { sessionStorage.setItem(SESSION_KEY, JSON.stringify(session)); } catch { /* storage off */ }
  renderSession();
}

function renderSession() {
  const box = $('session');
  box.replaceChildren();
  const chips = [
    ...Object.entries(session.properties).map(([k, v]) => chip(`${k} = ${v}`, `Unset property ${k}`, () => { delete session.properties[k]; saveSession(); })),
    ...Object.entries(session.variables).map(([k, v]) => chip(`\${${k}} = ${v}`, `Undefine variable ${k}`, () => { delete session.variables[k]; saveSession(); })),
  ];
  box.hidden = chips.length === 0;
  if (chips.length) box.append(h('span', { class: 'session-label' }, 'Session:'), ...chips);
  offsetSelect.value = session.properties['auto.offset.reset'] ?? '';
}

/** @param {string} text @param {string} removeLabel @param {() => void} onRemove */
function chip(text, removeLabel, onRemove) {
  return h('span', { class: 'chip' }, h('code', null, text),
    h('button', { type: 'button', class: 'chip-remove', 'aria-label': removeLabel, title: removeLabel, onclick: onRemove }, '×'));
}

offsetSelect.addEventListener('change', () => {
  if (offsetSelect.value) session.properties['auto.offset.reset'] = offsetSelect.value;
  else delete session.properties['auto.offset.reset'];
  saveSession();
});

// ---------------------------------------------------------------------------------------------
// History (Ctrl+Up / Ctrl+Down in the editor)

/** @type {string[]} */
let history = [];
try { history = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]'); } catch { history = []; }
let historyIndex = history.length;
let draft = '';

/** @param {string} text */
function remember(text) {
  if (history[history.length - 1] !== text) history.push(text);
  history = history.slice(-50);
  historyIndex = history.length;
  try { localStorage.setItem(HISTORY_KEY, JSON.stringify(history)); } catch { /* storage off */ }
}

/** @param {number} delta */
function walkHistory(delta) {
  if (!history.length) return;
  if (historyIndex === history.length) draft = editor.value;
  historyIndex = Math.max(0, Math.min(history.length, historyIndex + delta));
  editor.value = historyIndex === history.length ? draft : history[historyIndex];
  editor.setSelectionRange(editor.value.length, editor.value.length);
}

// ---------------------------------------------------------------------------------------------
// Results: one card per run, newest first

/** @param {string} text */
function setStatus(text) {
  statusLine.textContent = text;
}

function updateRunning() {
  stopAllButton.disabled = running.length === 0;
  stopAllButton.textContent = running.length > 1 ? `Stop ${running.length} queries` : 'Stop query';
}

/** @param {string} script */
function newCard(script) {
  const body = h('div', { class: 'card-body' });
  /** @type {Set<() => Promise<void>>} */
  const stops = new Set();
  const firstLine = stripComments(script).trim().split('\n')[0] ?? '';
  const card = h('article', { class: 'card', 'aria-label': `Result of ${firstLine.slice(0, 80)}` },
    h('header', { class: 'card-head' },
      h('time', { datetime: new Date().toISOString() }, new Date().toLocaleTimeString()),
      h('code', { class: 'card-title', title: script }, firstLine.length > 120 ? `${firstLine.slice(0, 117)}…` : firstLine),
      h('button', {
        type: 'button', class: 'button small subtle', 'aria-label': 'Close this result (stops its queries)', title: 'Close',
        onclick: () => { for (const s of stops) void s(); card.remove(); },
      }, '×')),
    body);
  results.prepend(card);
  // drop the oldest finished cards
  const cards = [...results.querySelectorAll(':scope > .card')];
  for (const old of cards.slice(MAX_CARDS)) if (!old.querySelector('.streaming')) old.remove();
  return { card, body, stops };
}

/**
 * The editor text a script was run from (all of it, as it was then) and where the script starts in
 * it (the selection's start when only a selection ran).
 * @typedef {{ text: string, base: number }} Source
 */

/**
 * Adds to an error box a button that puts the editor's cursor where the server's error points:
 * ksqlDB counts lines and columns in the text it was sent (one step of the script), not in the editor.
 * @param {HTMLElement} box
 * @param {string} message
 * @param {{ text: string, start: number }} step
 * @param {Source | undefined} source
 */
function pointAtError(box, message, step, source) {
  if (!source) return box;
  const within = errorOffset(message, step.text);
  if (within === undefined) return box;
  const offset = source.base + step.start + within;
  const { line, column } = lineAndColumn(source.text, offset);
  const button = h('button', {
    type: 'button', class: 'link error-position', title: 'Put the cursor there',
    onclick: () => {
      editor.focus();
      if (editor.value === source.text) editor.setSelectionRange(offset, offset);
    },
  }, `Line ${line}, column ${column} in the editor`);
  box.querySelector('.error-message')?.after(button);
  return box;
}

/**
 * Runs one query on /query-stream into `body`. Resolves when the query has started (push) or
 * finished (pull, PRINT), with false when it failed before any result.
 * @param {{ text: string, kind: string, start: number }} step
 * @param {ReturnType<typeof newCard>} card
 * @param {Source | undefined} source
 */
function runQuery(step, card, source) {
  const push = /\bEMIT\s+(CHANGES|FINAL)\b/i.test(stripComments(step.text)) || step.kind === 'print';
  const badge = h('span', { class: 'badge streaming' }, 'Starting…');
  const counter = h('span', { class: 'row-count' }, '');
  const stopButton = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'button small danger' }, 'Stop'));
  const area = h('div', { class: 'query-output' });
  const block = h('section', { class: 'query', 'aria-label': 'Query result' },
    h('div', { class: 'query-head' }, badge, counter, stopButton),
    h('pre', { class: 'query-sql' }, step.text),
    area);
  card.body.append(block);

  let rows = 0;
  /** @type {HTMLTableSectionElement | null} */
  let tbody = null;
  /** @type {unknown[][]} */
  let pending = [];
  let scheduled = false;
  /** @type {HTMLElement | null} */
  let printOut = null;
  let started = false;
  /** @type {(ok: boolean) => void} */
  let resolveStarted = () => {};
  const startedPromise = new Promise((r) => { resolveStarted = r; });

  const flush = () => {
    scheduled = false;
    if (!tbody) return;
    const scroller = /** @type {HTMLElement} */ (area.querySelector('.table-wrap'));
    const atBottom = scroller ? scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 8 : true;
    const frag = document.createDocumentFragment();
    for (const r of pending) frag.append(h('tr', null, r.map((v) => h('td', null, cell(v)))));
    pending = [];
    tbody.append(frag);
    while (tbody.rows.length > MAX_ROWS) tbody.deleteRow(0);
    counter.textContent = rows > MAX_ROWS ? `${rows} rows (showing the last ${MAX_ROWS})` : `${rows} row${rows === 1 ? '' : 's'}`;
    if (scroller && atBottom) scroller.scrollTop = scroller.scrollHeight;
  };

  const stream = openQueryStream(step.text, session, step.kind === 'print' ? 'print' : 'query', {
    header(meta) {
      started = true;
      badge.textContent = push ? 'Streaming' : 'Running';
      const names = meta.columnNames ?? [];
      const types = meta.columnTypes ?? [];
      tbody = /** @type {HTMLTableSectionElement} */ (h('tbody'));
      area.append(h('div', { class: 'table-wrap rows' },
        h('table', { class: 'grid' },
          h('thead', null, h('tr', null, names.map((n, i) => h('th', { scope: 'col' }, n, h('span', { class: 'col-type' }, types[i] ?? ''))))),
          tbody)));
      counter.textContent = '0 rows';
      if (meta.queryId) stopButton.title = `Close query ${meta.queryId}`;
      if (push) setStatus(`Query ${meta.queryId ?? ''} is streaming`);
      if (push) resolveStarted(true);
    },
    row(values) {
      rows++;
      pending.push(values);
      // rows are drawn on the next frame; a hidden tab has none, so keep no more than the table shows
      if (pending.length >= 2 * MAX_ROWS) pending = pending.slice(-MAX_ROWS);
      if (!scheduled) { scheduled = true; requestAnimationFrame(flush); }
    },
    line(text) {
      if (!started) { started = true; badge.textContent = 'Streaming'; resolveStarted(true); }
      if (!printOut) { printOut = h('pre', { class: 'print-output' }); area.append(printOut); }
      printOut.append(`${text}\n`);
      if (text.startsWith('rowtime:')) { rows++; counter.textContent = `${rows} record${rows === 1 ? '' : 's'}`; }
    },
    streamError(message) {
      area.append(renderError({ status: 0, message }));
    },
  });

  const entry = { stop: () => stream.stop(), label: step.text };
  running.push(entry);
  card.stops.add(entry.stop);
  updateRunning();
  stopButton.addEventListener('click', () => { stopButton.disabled = true; badge.textContent = 'Stopping…'; void stream.stop(); });
  if (step.kind === 'print') {
    // PRINT sends nothing until there is a record: it counts as started once the request is on its way
    setTimeout(() => { if (!started) { badge.textContent = 'Waiting for records'; resolveStarted(true); } }, 300);
  }

  void stream.done.then((end) => {
    flush();
    running.splice(running.indexOf(entry), 1);
    card.stops.delete(entry.stop);
    updateRunning();
    stopButton.remove();
    badge.classList.remove('streaming');
    if (end.how === 'error') {
      badge.textContent = 'Failed';
      badge.classList.add('failed');
      area.append(pointAtError(renderError(end.error), end.error.message, step, source));
      setStatus(`Query failed: ${end.error.message.split('\n')[0]}`);
      resolveStarted(started);
      return;
    }
    badge.textContent = end.how === 'stopped' ? 'Stopped' : push ? 'Ended' : 'Done';
    badge.classList.add(end.how === 'stopped' ? 'stopped' : 'done');
    if (!tbody && !printOut && end.how === 'ended') area.append(h('p', { class: 'empty' }, 'No rows'));
    setStatus(`Query ${end.how === 'stopped' ? 'stopped' : 'finished'}: ${rows} row${rows === 1 ? '' : 's'}`);
    resolveStarted(true);
  });

  return startedPromise;
}

/**
 * Runs a script: consecutive statements for /ksql go as one request, queries go to /query-stream
 * one by one (a push query lets the script go on once its first line is in), SET/DEFINE change
 * the session. The first failure ends the script, as in ksqlDB.
 * @param {string} text
 * @param {Source} [source] where in the editor `text` came from (none for the sidebar's statements)
 */
async function runScript(text, source) {
  const steps = plan(text);
  if (steps.length === 0) { setStatus('Nothing to run'); return; }
  remember(text.trim());
  const card = newCard(text.trim());
  busy++;
  runButton.disabled = true;
  const began = performance.now();
  let failed = false;
  let touchedCatalog = false;
  // a script that ends with a query keeps the status that query set ("… is streaming", "finished: n rows")
  let endsWithQuery = false;
  try {
    for (const step of steps) {
      endsWithQuery = false;
      if (step.kind === 'set' || step.kind === 'unset' || step.kind === 'define' || step.kind === 'undefine') {
        card.body.append(sessionChange(/** @type {any} */ (step)));
        saveSession();
        continue;
      }
      if (step.kind === 'query' || step.kind === 'print') {
        if (!(await runQuery(step, card, source))) { failed = true; break; }
        endsWithQuery = true;
        continue;
      }
      touchedCatalog = true;
      setStatus('Running…');
      const answer = await ksql(step.text, session);
      if (answer.ok) {
        for (const e of answer.entities) card.body.append(renderEntity(e));
        if (answer.entities.length === 0) card.body.append(h('div', { class: 'message ok' }, '✓ Done'));
      } else {
        for (const e of answer.error.entities ?? []) card.body.append(renderEntity(e));
        card.body.append(pointAtError(renderError({ ...answer.error, statementText: answer.error.statementText ?? step.text }),
          answer.error.message, step, source));
        setStatus(`Error: ${answer.error.message.split('\n')[0]}`);
        failed = true;
        break;
      }
    }
    if (!failed && !endsWithQuery) {
      const streaming = running.length ? ` · ${running.length} quer${running.length === 1 ? 'y' : 'ies'} streaming` : '';
      setStatus(`Done in ${Math.round(performance.now() - began)} ms${streaming}`);
    }
  } catch (e) {
    card.body.append(renderError({ status: 0, message: messageOf(e) }));
    setStatus(`Error: ${messageOf(e)}`);
  } finally {
    busy--;
    runButton.disabled = busy > 0;
  }
  if (touchedCatalog || failed) void refreshCatalog();
}

/** @param {{ kind: string, name: string, value?: string }} step */
function sessionChange(step) {
  let text;
  switch (step.kind) {
    case 'set': session.properties[step.name] = step.value ?? ''; text = `Property '${step.name}' set to '${step.value}' for this session`; break;
    case 'unset': delete session.properties[step.name]; text = `Property '${step.name}' unset`; break;
    case 'define': session.variables[step.name] = step.value ?? ''; text = `Variable ${step.name} defined as '${step.value}'`; break;
    default: delete session.variables[step.name]; text = `Variable ${step.name} undefined`; break;
  }
  return h('div', { class: 'message ok' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✓'), ' ', text);
}

// ---------------------------------------------------------------------------------------------
// Catalog sidebar

let catalogRequest = 0;

async function refreshCatalog() {
  const mine = ++catalogRequest;
  const answer = await ksql('SHOW STREAMS; SHOW TABLES; SHOW QUERIES;', { properties: {}, variables: {} });
  if (mine !== catalogRequest) return;
  const errorBox = $('catalog-error');
  if (!answer.ok) {
    errorBox.hidden = false;
    errorBox.textContent = `Could not list the catalog: ${answer.error.message}`;
    return;
  }
  errorBox.hidden = true;
  const byType = Object.fromEntries(answer.entities.map((e) => [e['@type'], e]));
  fillSources('streams', byType.streams?.streams ?? []);
  fillSources('tables', byType.tables?.tables ?? []);
  fillQueries(byType.queries?.queries ?? []);
}

/** @param {'streams'|'tables'} id @param {any[]} sources */
function fillSources(id, sources) {
  $(`${id}-count`).textContent = sources.length ? `(${sources.length})` : '';
  const list = $(id);
  list.replaceChildren(...(sources.length ? sources.map((s) => h('li', { class: 'catalog-item' },
    h('button', {
      type: 'button', class: 'link', title: `DESCRIBE ${s.name}`, 'aria-label': `Describe ${s.name}`,
      onclick: () => void runScript(`DESCRIBE ${quoteIdentifier(s.name)};`),
    }, s.name),
    h('span', { class: 'meta' }, `${s.topic} · ${s.valueFormat}${s.isWindowed ? ' · windowed' : ''}`),
    h('button', {
      type: 'button', class: 'button tiny', title: `Put a query on ${s.name} in the editor`, 'aria-label': `Query ${s.name}`,
      onclick: () => {
        editor.value = `SELECT * FROM ${quoteIdentifier(s.name)} EMIT CHANGES;`;
        editor.focus();
      },
    }, 'SELECT'))) : [h('li', { class: 'empty' }, 'None yet')]));
}

/** @param {any[]} queries */
function fillQueries(queries) {
  $('queries-count').textContent = queries.length ? `(${queries.length})` : '';
  $('queries').replaceChildren(...(queries.length ? queries.map((q) => h('li', { class: 'catalog-item' },
    h('code', { class: 'query-name', title: q.queryString }, q.id),
    h('span', { class: `meta state-${String(q.state ?? '').toLowerCase()}` }, `${q.state ?? ''}${q.sinks?.length ? ` → ${q.sinks.join(', ')}` : ''}`),
    h('button', {
      type: 'button', class: 'button tiny danger', 'aria-label': `Terminate ${q.id}`, title: `TERMINATE ${q.id}`,
      onclick: () => { if (confirm(`Terminate query ${q.id}?`)) void runScript(`TERMINATE ${q.id};`); },
    }, 'Terminate'))) : [h('li', { class: 'empty' }, 'None running')]));
}

// ---------------------------------------------------------------------------------------------
// Wiring

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const selected = editor.value.slice(editor.selectionStart, editor.selectionEnd);
  const source = { text: editor.value, base: selected.trim() ? editor.selectionStart : 0 };
  void runScript(selected.trim() ? selected : editor.value, source);
});

editor.addEventListener('keydown', (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
    event.preventDefault();
    if (!runButton.disabled) form.requestSubmit();
  } else if ((event.ctrlKey || event.metaKey) && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
    event.preventDefault();
    walkHistory(event.key === 'ArrowUp' ? -1 : 1);
  }
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && running.length) {
    event.preventDefault();
    const newest = running[running.length - 1];
    setStatus('Stopping the newest query…');
    void newest.stop();
  }
});

stopAllButton.addEventListener('click', () => { for (const r of [...running]) void r.stop(); });
$('clear').addEventListener('click', () => {
  for (const c of [...results.children]) if (!c.querySelector('.streaming')) c.remove();
});
$('refresh').addEventListener('click', () => void refreshCatalog());

if (/Mac|iPhone|iPad/.test(navigator.platform)) $('run-key').textContent = '⌘';
runButton.textContent = 'Run';
runButton.title = `Run (${/Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl'}+Enter)`;

renderSession();
updateRunning();
void refreshCatalog();
serverInfo().then((info) => {
  const i = info.KsqlServerInfo ?? {};
  $('server-info').textContent = `Server ${i.version ?? '?'} · service ${i.ksqlServiceId ?? '?'} · ${i.serverStatus ?? ''}`;
}).catch((e) => {
  $('server-info').textContent = `Server unreachable: ${messageOf(e)}`;
});
editor.focus();
document.documentElement.dataset.ready = 'true';
