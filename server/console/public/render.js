// Building DOM for ksqlDB's REST entities, errors and query results. Text always goes in as text
// nodes (never as HTML), so whatever the data holds is shown as it is.

/**
 * h('div', { class: 'x', onclick: f }, 'text', child, [more, children])
 * @param {string} tag
 * @param {Record<string, unknown> | null} [attrs]
 * @param {...unknown} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), /** @type {EventListener} */ (v));
    else if (k === 'class') el.className = String(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

/** @param {HTMLElement} el @param {unknown[]} children */
function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/**
 * A plain table: headers and rows of cells (strings or nodes).
 * @param {string[]} headers
 * @param {unknown[][]} rows
 * @param {string} [caption]
 */
export function table(headers, rows, caption) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'grid' },
      caption ? h('caption', null, caption) : null,
      h('thead', null, h('tr', null, headers.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, rows.length
        ? rows.map((r) => h('tr', null, r.map((c) => h('td', null, c))))
        : h('tr', null, h('td', { colspan: headers.length, class: 'empty' }, 'No rows')))));
}

/**
 * The SQL type of a ksqlDB schema object ({type, fields, memberSchema, parameters}).
 * @param {any} s
 * @returns {string}
 */
export function formatSchema(s) {
  if (!s) return '';
  switch (s.type) {
    case 'ARRAY': return `ARRAY<${formatSchema(s.memberSchema)}>`;
    case 'MAP': return `MAP<STRING, ${formatSchema(s.memberSchema)}>`;
    case 'STRUCT': return `STRUCT<${(s.fields ?? []).map((/** @type {any} */ f) => `${f.name} ${formatSchema(f.schema)}`).join(', ')}>`;
    case 'DECIMAL': return s.parameters ? `DECIMAL(${s.parameters.precision}, ${s.parameters.scale})` : 'DECIMAL';
    default: return String(s.type);
  }
}

/**
 * A result value as text: NULL, JSON for arrays/objects, strings as they are.
 * @param {unknown} v
 */
export function cell(v) {
  if (v === null || v === undefined) return h('span', { class: 'null' }, 'NULL');
  if (typeof v === 'object') return h('code', null, JSON.stringify(v));
  return String(v);
}

/** @param {string} sql */
function statementBlock(sql) {
  return h('details', { class: 'statement' }, h('summary', null, 'Statement'), h('pre', null, sql));
}

/** @param {string} label @param {unknown} value */
function fact(label, value) {
  return [h('dt', null, label), h('dd', null, value === '' || value === null || value === undefined ? '—' : String(value))];
}

/** @param {any[]} queries */
function queriesTable(queries, caption = undefined) {
  return table(['Query ID', 'Type', 'State', 'Sinks', 'Topics', 'SQL'], queries.map((q) => [
    h('code', null, q.id ?? ''),
    q.queryType ?? '',
    q.state ?? Object.keys(q.statusCount ?? {}).join(', '),
    (q.sinks ?? []).join(', '),
    (q.sinkKafkaTopics ?? []).join(', '),
    h('code', { class: 'sql' }, q.queryString ?? ''),
  ]), caption);
}

/** @param {any[]} fields */
function fieldsTable(fields) {
  return table(['Field', 'Type', ''], (fields ?? []).map((f) => [
    f.name,
    h('code', null, formatSchema(f.schema)),
    f.type === 'KEY' ? h('span', { class: 'tag' }, 'KEY') : f.type === 'HEADER' ? h('span', { class: 'tag' }, f.headerKey ? `HEADER('${f.headerKey}')` : 'HEADERS') : '',
  ]), 'Fields');
}

/** @param {any} d */
function sourceDescription(d) {
  const kind = String(d.type ?? 'SOURCE').toLowerCase();
  return h('div', { class: 'describe' },
    h('h4', null, h('span', { class: 'tag' }, d.type ?? ''), ' ', d.name),
    h('dl', { class: 'facts' },
      fact('Kafka topic', d.topic),
      fact('Key format', d.keyFormat),
      fact('Value format', d.valueFormat),
      fact('Partitions', d.partitions),
      fact('Replication', d.replication),
      fact('Timestamp column', d.timestamp),
      fact('Windowed', d.windowType ?? 'no')),
    fieldsTable(d.fields),
    d.readQueries?.length ? queriesTable(d.readQueries, `Queries reading this ${kind}`) : null,
    d.writeQueries?.length ? queriesTable(d.writeQueries, `Queries writing this ${kind}`) : null,
    d.statement ? h('details', { class: 'statement' }, h('summary', null, 'Definition'), h('pre', null, d.statement)) : null);
}

/**
 * One entity from POST /ksql, readably.
 * @param {any} e
 * @returns {HTMLElement}
 */
export function renderEntity(e) {
  const type = e?.['@type'];
  const body = renderEntityBody(e);
  const warnings = Array.isArray(e?.warnings) && e.warnings.length
    ? h('ul', { class: 'warnings' }, e.warnings.map((/** @type {any} */ w) => h('li', null, '⚠ ', w.message)))
    : null;
  return h('div', { class: `entity entity-${String(type ?? 'unknown').replace(/[^a-z_]/gi, '')}` },
    body, warnings, e?.statementText && type !== 'currentStatus' ? statementBlock(e.statementText) : null);
}

/** @param {any} e */
function renderEntityBody(e) {
  switch (e?.['@type']) {
    case 'currentStatus': {
      const status = e.commandStatus ?? {};
      const ok = status.status === 'SUCCESS' || status.status === 'EXECUTING' || status.status === 'QUEUED';
      return h('div', { class: `message ${ok ? 'ok' : 'bad'}` },
        h('span', { class: 'icon', 'aria-hidden': 'true' }, ok ? '✓' : '✗'), ' ',
        h('span', { class: 'message-text' }, status.message || status.status || 'Done'),
        status.queryId ? h('span', { class: 'query-id' }, ' Query ID: ', h('code', null, status.queryId)) : null,
        h('div', { class: 'message-statement' }, h('code', null, e.statementText ?? '')));
    }
    case 'streams':
    case 'tables': {
      const list = e[e['@type']] ?? [];
      return table(['Name', 'Kafka topic', 'Key format', 'Value format', 'Windowed'],
        list.map((/** @type {any} */ s) => [h('strong', null, s.name), s.topic, s.keyFormat, s.valueFormat, s.isWindowed ? 'yes' : 'no']),
        e['@type'] === 'streams' ? 'Streams' : 'Tables');
    }
    case 'queries':
      return queriesTable(e.queries ?? [], 'Queries');
    case 'sourceDescription':
      return sourceDescription(e.sourceDescription ?? {});
    case 'source_descriptions':
      return h('div', null, (e.sourceDescriptions ?? []).map(sourceDescription));
    case 'queryDescription': {
      const q = e.queryDescription ?? {};
      return h('div', { class: 'describe' },
        h('h4', null, 'Query ', h('code', null, q.id ?? '')),
        h('dl', { class: 'facts' },
          fact('State', q.state),
          fact('Sources', (q.sources ?? []).join(', ')),
          fact('Sinks', (q.sinks ?? []).join(', ')),
          fact('Sink topics', (q.sinkKafkaTopics ?? []).join(', '))),
        q.statementText ? h('pre', { class: 'sql-block' }, q.statementText) : null,
        q.fields ? fieldsTable(q.fields) : null,
        q.executionPlan ? h('details', { class: 'statement' }, h('summary', null, 'Execution plan'), h('pre', null, q.executionPlan)) : null,
        q.topology ? h('details', { class: 'statement' }, h('summary', null, 'Topology'), h('pre', null, q.topology)) : null);
    }
    case 'kafka_topics':
    case 'kafka_topics_extended': {
      const ext = e['@type'] === 'kafka_topics_extended';
      return table(ext ? ['Name', 'Partitions', 'Replicas', 'Consumers', 'Consumer groups'] : ['Name', 'Partitions', 'Replicas'],
        (e.topics ?? []).map((/** @type {any} */ t) => {
          const base = [t.name, (t.replicaInfo ?? []).length, (t.replicaInfo ?? []).join(', ')];
          return ext ? [...base, t.consumerCount, t.consumerGroupCount] : base;
        }), 'Kafka topics');
    }
    case 'properties':
      return table(['Property', 'Scope', 'Level', 'Value'], (e.properties ?? []).map((/** @type {any} */ p) => [
        h('code', null, p.name), p.scope ?? '', p.level ?? '', cell(p.value),
      ]), 'Properties');
    case 'function_names':
      return table(['Function', 'Type', 'Category'], (e.functions ?? []).map((/** @type {any} */ f) => [h('code', null, f.name), f.type, f.category]), 'Functions');
    case 'describe_function':
      return h('div', { class: 'describe' },
        h('h4', null, h('span', { class: 'tag' }, e.type ?? ''), ' ', e.name),
        e.description ? h('p', null, e.description) : null,
        h('dl', { class: 'facts' }, fact('Author', e.author), fact('Version', e.version)),
        table(['Arguments', 'Returns', 'Description'], (e.functions ?? []).map((/** @type {any} */ f) => [
          h('code', null, (f.arguments ?? []).map((/** @type {any} */ a) => `${a.name ? `${a.name} ` : ''}${a.type}`).join(', ')),
          h('code', null, f.returnType ?? ''), f.description ?? '',
        ]), 'Signatures'));
    case 'type_list':
      return table(['Type', 'Schema'], Object.entries(e.types ?? {}).map(([name, s]) => [h('strong', null, name), h('code', null, formatSchema(s))]), 'Types');
    case 'variables':
      return table(['Variable', 'Value'], (e.variables ?? []).map((/** @type {any} */ v) => [h('code', null, v.name), v.value]), 'Variables');
    case 'assert_topic':
    case 'assert_schema':
      return h('div', { class: 'message ok' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✓'), ' ',
        `${e['@type'] === 'assert_topic' ? `Topic ${e.topicName}` : `Schema ${e.subject ?? e.id ?? ''}`} ${e.exists ? 'exists' : 'does not exist'}`);
    case 'warning_entity':
      return h('div', { class: 'message warn' }, '⚠ ', e.message ?? '');
    default:
      return h('pre', { class: 'raw' }, JSON.stringify(e, null, 2));
  }
}

/**
 * An error from the server: ksqlDB's message, its code and the statement it is about.
 * @param {import('./api.js').ApiError} err
 */
export function renderError(err) {
  return h('div', { class: 'error', role: 'alert' },
    h('div', { class: 'error-head' },
      h('span', { class: 'icon', 'aria-hidden': 'true' }, '✗'), ' ',
      err.errorCode ? `Error ${err.errorCode}` : err.status ? `HTTP ${err.status}` : 'Error'),
    h('pre', { class: 'error-message' }, err.message),
    err.hint ? h('p', { class: 'hint' }, err.hint) : null,
    err.statementText ? h('div', { class: 'error-statement' }, h('span', null, 'Statement:'), h('pre', null, err.statementText)) : null);
}
