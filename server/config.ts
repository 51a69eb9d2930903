/** Server configuration: ksqlDB property names, from a properties file, flags and the environment. */
import { readFileSync } from 'node:fs';

/** Parses a Java-style .properties file (`key=value` / `key: value`, `#` and `!` comments). */
export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    const m = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

export function loadPropertiesFile(path: string): Record<string, string> {
  return parseProperties(readFileSync(path, 'utf8'));
}

/** `KSQL_KSQL_SERVICE_ID=x` → `ksql.service.id=x` (the convention of ksqlDB's Docker images). */
export function propertiesFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (!k.startsWith('KSQL_') || v === undefined) continue;
    out[k.slice(5).toLowerCase().replace(/_/g, '.')] = v;
  }
  return out;
}
