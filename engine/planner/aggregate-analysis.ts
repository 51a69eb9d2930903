/**
 * Analysis of aggregate queries (ksqlDB's AggregateAnalyzer): which expressions are GROUP BY
 * expressions, which calls are aggregates, and the rules that reject a query (non-aggregate
 * expressions not in GROUP BY, nested aggregates, aggregates in GROUP BY, window bounds outside
 * the SELECT of a windowed aggregation).
 *
 * Expressions are matched structurally (spans ignored; `ID` and `T.ID` naming the same column are
 * equal). A sub-expression equal to a GROUP BY expression, outside any aggregate call, is "grouped":
 * it may appear in SELECT and HAVING, and the column references inside it need not be grouped.
 */
import type * as A from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { RowSchema } from '../analyzer/row-schema.js';
import { formatExpression } from '../sql/format.js';
import { children, structuralKey, walk } from './expression-walk.js';

export const WINDOW_BOUNDS = new Set(['WINDOWSTART', 'WINDOWEND']);

export class ExpressionKeys {
  constructor(private readonly input: RowSchema) {}

  key(e: A.Expression): string {
    return structuralKey(e, (c) => {
      const i = this.columnIndex(c);
      return i >= 0 ? `#${i}` : `?${c.name}`;
    });
  }

  /** Position of the input column `c` names, or -1. */
  columnIndex(c: A.ColumnRef): number {
    return this.input.columns.findIndex((col) => col.name === c.name && (c.source === undefined || col.source === c.source));
  }
}

export interface AggregateAnalysis {
  /** GROUP BY expression keys → position. */
  readonly groupByKeys: ReadonlyMap<string, number>;
  /** Distinct aggregate calls, in order of first appearance (SELECT, then HAVING). */
  readonly aggregates: readonly A.FunctionCall[];
  /** Aggregate call key → index in `aggregates`. */
  readonly aggregateKeys: ReadonlyMap<string, number>;
}

function isAggregateCall(e: A.Expression, functions: FunctionRegistry): e is A.FunctionCall {
  return e.kind === 'FunctionCall' && functions.aggregate(e.name) !== undefined;
}

function windowBoundsError(name: string): KsqlException {
  return new KsqlException(`Window bounds column ${name} can only be used in the SELECT clause of windowed aggregations`);
}

/** GROUP BY expressions may not contain aggregates or window bounds. */
export function checkGroupBy(groupBy: readonly A.Expression[], functions: FunctionRegistry): void {
  for (const g of groupBy) {
    for (const n of walk(g)) {
      if (isAggregateCall(n, functions)) {
        throw new KsqlException(`GROUP BY does not support aggregate functions: ${n.name} is an aggregate function.`);
      }
      if (n.kind === 'ColumnRef' && WINDOW_BOUNDS.has(n.name)) throw windowBoundsError(n.name);
    }
  }
}

interface Collected {
  /** Column references outside aggregates and outside grouped sub-expressions. */
  readonly nonAggRefs: A.ColumnRef[];
}

export class AggregateAnalyzer {
  private readonly groupByKeys = new Map<string, number>();
  private readonly aggregates: A.FunctionCall[] = [];
  private readonly aggregateKeys = new Map<string, number>();

  constructor(
    groupBy: readonly A.Expression[],
    private readonly keys: ExpressionKeys,
    private readonly functions: FunctionRegistry,
    private readonly windowed: boolean,
  ) {
    groupBy.forEach((g, i) => {
      const k = keys.key(g);
      if (!this.groupByKeys.has(k)) this.groupByKeys.set(k, i);
    });
  }

  isGrouped(e: A.Expression): boolean {
    return this.groupByKeys.has(this.keys.key(e));
  }

  groupIndex(e: A.Expression): number | undefined {
    return this.groupByKeys.get(this.keys.key(e));
  }

  private collect(e: A.Expression, clause: 'SELECT' | 'HAVING'): Collected {
    const nonAggRefs: A.ColumnRef[] = [];
    const visit = (x: A.Expression, inAgg: A.FunctionCall | undefined): void => {
      if (inAgg === undefined && this.isGrouped(x)) return;
      if (isAggregateCall(x, this.functions)) {
        if (inAgg) throw new KsqlException(`Aggregate functions can not be nested: ${inAgg.name}(${x.name}())`);
        const k = this.keys.key(x);
        if (!this.aggregateKeys.has(k)) {
          this.aggregateKeys.set(k, this.aggregates.length);
          this.aggregates.push(x);
        }
        for (const c of x.args) visit(c, x);
        return;
      }
      if (x.kind === 'ColumnRef') {
        if (WINDOW_BOUNDS.has(x.name) && (this.keys.columnIndex(x) < 0 || this.windowed)) {
          if (inAgg || clause !== 'SELECT' || !this.windowed) throw windowBoundsError(x.name);
          return;
        }
        if (inAgg === undefined) nonAggRefs.push(x);
        return;
      }
      for (const c of children(x)) visit(c, inAgg);
    };
    visit(e, undefined);
    return { nonAggRefs };
  }

  /**
   * Checks the projection and HAVING; collects aggregate calls. `select` are the projected
   * expressions after `*` expansion.
   */
  analyze(select: readonly A.Expression[], having: A.Expression | undefined, hasGroupBy: boolean): AggregateAnalysis {
    const unmatchedSelects: string[] = [];
    for (const e of select) {
      const { nonAggRefs } = this.collect(e, 'SELECT');
      if (this.isGrouped(e)) continue;
      if (nonAggRefs.some((r) => !this.isGrouped(r))) unmatchedSelects.push(formatExpression(e));
    }
    const unmatchedHaving: string[] = [];
    if (having) {
      const { nonAggRefs } = this.collect(having, 'HAVING');
      for (const r of nonAggRefs) if (!this.isGrouped(r)) unmatchedHaving.push(formatExpression(r));
    }
    if (hasGroupBy && this.aggregates.length === 0) {
      throw new KsqlException('GROUP BY requires aggregate functions in either the SELECT or HAVING clause.');
    }
    if (unmatchedSelects.length > 0) {
      throw new KsqlException(
        `Non-aggregate SELECT expression(s) not part of GROUP BY: ${[...new Set(unmatchedSelects)].sort().join(', ')}\n`
        + 'Either add the column(s) to the GROUP BY or remove them from the SELECT.');
    }
    if (unmatchedHaving.length > 0) {
      throw new KsqlException(`Non-aggregate HAVING expression not part of GROUP BY: ${[...new Set(unmatchedHaving)].sort().join(', ')}`);
    }
    if (!hasGroupBy && this.aggregates.length > 0) {
      throw new KsqlException(`Use of aggregate function ${this.aggregates[0]!.name} requires a GROUP BY clause.`);
    }
    return { groupByKeys: this.groupByKeys, aggregates: this.aggregates, aggregateKeys: this.aggregateKeys };
  }
}

/** Whether a query aggregates: GROUP BY, WINDOW, HAVING or an aggregate call in the projection. */
export function isAggregateQuery(query: A.Query, functions: FunctionRegistry): boolean {
  if (query.groupBy || query.window || query.having) return true;
  for (const item of query.select) {
    if (item.kind !== 'SelectColumn') continue;
    for (const n of walk(item.expr)) if (isAggregateCall(n, functions)) return true;
  }
  return false;
}
