/**
 * What executing a statement yields. The REST layer wraps these into ksqlDB's entities
 * (adding `statementText`, `commandSequenceNumber` and `warnings`).
 */
export interface CommandStatusResult {
  readonly kind: 'status';
  /** `<type>/<entity>/<action>`, e.g. `stream/S/create`. */
  readonly commandId: string;
  readonly message: string;
  readonly queryId?: string;
}

/** Any other entity, already in ksqlDB's JSON shape minus statementText/warnings (e.g. `{"@type":"streams",...}`). */
export interface EntityResult {
  readonly kind: 'entity';
  readonly entity: Readonly<Record<string, unknown>>;
}

export interface NoResult {
  readonly kind: 'none';
}

export type StatementResult = CommandStatusResult | EntityResult | NoResult;

export const NO_RESULT: NoResult = { kind: 'none' };
