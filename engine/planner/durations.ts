/** Parsing ksqlDB duration strings such as '30 SECONDS' (WINDOW_SIZE). */
import { KsqlException } from '../errors/index.js';

const UNIT_MS: Record<string, number> = {
  MILLISECOND: 1, MILLISECONDS: 1, SECOND: 1000, SECONDS: 1000, MINUTE: 60_000, MINUTES: 60_000,
  HOUR: 3_600_000, HOURS: 3_600_000, DAY: 86_400_000, DAYS: 86_400_000,
};

export function parseDurationText(text: string, configName: string): number {
  const parts = text.trim().split(/\s+/);
  const invalid = (why: string) => new KsqlException(`Configuration ${configName} is invalid: Invalid duration: '${text}'. ${why}`);
  if (parts.length !== 2) throw invalid('Not recognizable.');
  const n = Number(parts[0]);
  if (!Number.isInteger(n)) throw invalid('Not recognizable.');
  const unit = parts[1]!.toUpperCase();
  const ms = UNIT_MS[unit];
  if (ms === undefined) throw invalid(`Unknown time unit: '${unit}'`);
  return n * ms;
}
