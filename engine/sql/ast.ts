/**
 * The ksqlDB abstract syntax tree.
 *
 * Invariants (DESIGN.md, style 2–4):
 * - Every node is a readonly plain object with a `kind` discriminant and a `span`; no methods.
 * - Identifiers are stored as ksqlDB stores them: unquoted names upper-cased, quoted names
 *   (`Name` or "Name") kept as written.
 * - `${var}` substitution happens on the text before scanning (see `substituteVariables`).
 * - Rewrites return new trees; nothing mutates a node after the parser returns it.
 */

/** A source range. Offsets are UTF-16 code units into the statement text; line and column are 1-based. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

// ---------------------------------------------------------------------------------------------
// Types as written in SQL
// ---------------------------------------------------------------------------------------------

export type PrimitiveTypeName =
  | 'BOOLEAN' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'STRING' | 'BYTES' | 'TIMESTAMP' | 'DATE' | 'TIME';

export type TypeNode =
  | { readonly kind: 'PrimitiveType'; readonly name: PrimitiveTypeName; readonly span: Span }
  | { readonly kind: 'DecimalType'; readonly precision: number; readonly scale: number; readonly span: Span }
  | { readonly kind: 'ArrayType'; readonly element: TypeNode; readonly span: Span }
  | { readonly kind: 'MapType'; readonly key: TypeNode; readonly value: TypeNode; readonly span: Span }
  | { readonly kind: 'StructType'; readonly fields: readonly StructTypeField[]; readonly span: Span }
  /** A name registered with CREATE TYPE (resolved by the analyzer). */
  | { readonly kind: 'CustomType'; readonly name: string; readonly span: Span };

export interface StructTypeField {
  readonly name: string;
  readonly type: TypeNode;
  readonly span: Span;
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

export type TimeUnit = 'MILLISECONDS' | 'SECONDS' | 'MINUTES' | 'HOURS' | 'DAYS';

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';
export type ComparisonOp = '=' | '<>' | '<' | '<=' | '>' | '>=' | 'IS DISTINCT FROM' | 'IS NOT DISTINCT FROM';

export type Expression =
  | NullLiteral
  | BooleanLiteral
  | IntegerLiteral
  | LongLiteral
  | DoubleLiteral
  | DecimalLiteral
  | StringLiteral
  | ColumnRef
  | LambdaVariable
  | Dereference
  | Subscript
  | FunctionCall
  | ArithmeticBinary
  | ArithmeticUnary
  | Concat
  | Comparison
  | LogicalBinary
  | Not
  | IsNull
  | Like
  | Between
  | InList
  | SearchedCase
  | SimpleCase
  | Cast
  | CreateArray
  | CreateMap
  | CreateStruct
  | Lambda
  | IntervalUnit
  | AtTimeZone;

export interface NullLiteral { readonly kind: 'NullLiteral'; readonly span: Span }
export interface BooleanLiteral { readonly kind: 'BooleanLiteral'; readonly value: boolean; readonly span: Span }
/** An integer literal that fits in a 32-bit signed int. */
export interface IntegerLiteral { readonly kind: 'IntegerLiteral'; readonly value: number; readonly span: Span }
/** An integer literal outside the INT range; `text` is exact (the value may exceed 2^53). */
export interface LongLiteral { readonly kind: 'LongLiteral'; readonly text: string; readonly span: Span }
/** `1.5E3`: a DOUBLE literal. */
export interface DoubleLiteral { readonly kind: 'DoubleLiteral'; readonly value: number; readonly text: string; readonly span: Span }
/** `1.50` or `DECIMAL '1.50'`: a DECIMAL literal whose text keeps its scale. */
export interface DecimalLiteral { readonly kind: 'DecimalLiteral'; readonly text: string; readonly span: Span }
export interface StringLiteral { readonly kind: 'StringLiteral'; readonly value: string; readonly span: Span }

/** `col` or `source.col`. `source` is the alias or source name as stored (upper-cased unless quoted). */
export interface ColumnRef {
  readonly kind: 'ColumnRef';
  readonly source?: string;
  readonly name: string;
  readonly span: Span;
}
/** A reference to a parameter of an enclosing lambda (the parser tracks lambda scopes). */
export interface LambdaVariable { readonly kind: 'LambdaVariable'; readonly name: string; readonly span: Span }
/** `base->field`. */
export interface Dereference { readonly kind: 'Dereference'; readonly base: Expression; readonly field: string; readonly span: Span }
/** `base[index]` (arrays are 1-based, negative counts from the end; maps by key). */
export interface Subscript { readonly kind: 'Subscript'; readonly base: Expression; readonly index: Expression; readonly span: Span }
/** `name(args)`; `COUNT(*)` has `star: true` and no args. `name` is upper-cased. */
export interface FunctionCall {
  readonly kind: 'FunctionCall';
  readonly name: string;
  readonly args: readonly Expression[];
  readonly star?: boolean;
  readonly distinct?: boolean;
  readonly span: Span;
}
export interface ArithmeticBinary { readonly kind: 'ArithmeticBinary'; readonly op: ArithmeticOp; readonly left: Expression; readonly right: Expression; readonly span: Span }
export interface ArithmeticUnary { readonly kind: 'ArithmeticUnary'; readonly op: '+' | '-'; readonly operand: Expression; readonly span: Span }
/** `a || b` */
export interface Concat { readonly kind: 'Concat'; readonly left: Expression; readonly right: Expression; readonly span: Span }
export interface Comparison { readonly kind: 'Comparison'; readonly op: ComparisonOp; readonly left: Expression; readonly right: Expression; readonly span: Span }
export interface LogicalBinary { readonly kind: 'LogicalBinary'; readonly op: 'AND' | 'OR'; readonly left: Expression; readonly right: Expression; readonly span: Span }
export interface Not { readonly kind: 'Not'; readonly operand: Expression; readonly span: Span }
export interface IsNull { readonly kind: 'IsNull'; readonly operand: Expression; readonly negated: boolean; readonly span: Span }
export interface Like {
  readonly kind: 'Like';
  readonly value: Expression;
  readonly pattern: Expression;
  readonly escape?: string;
  readonly negated: boolean;
  readonly span: Span;
}
export interface Between {
  readonly kind: 'Between';
  readonly value: Expression;
  readonly min: Expression;
  readonly max: Expression;
  readonly negated: boolean;
  readonly span: Span;
}
export interface InList { readonly kind: 'InList'; readonly value: Expression; readonly list: readonly Expression[]; readonly negated: boolean; readonly span: Span }
export interface WhenClause { readonly when: Expression; readonly then: Expression; readonly span: Span }
export interface SearchedCase { readonly kind: 'SearchedCase'; readonly whens: readonly WhenClause[]; readonly else?: Expression; readonly span: Span }
export interface SimpleCase { readonly kind: 'SimpleCase'; readonly operand: Expression; readonly whens: readonly WhenClause[]; readonly else?: Expression; readonly span: Span }
export interface Cast { readonly kind: 'Cast'; readonly expr: Expression; readonly type: TypeNode; readonly span: Span }
export interface CreateArray { readonly kind: 'CreateArray'; readonly items: readonly Expression[]; readonly span: Span }
export interface CreateMap { readonly kind: 'CreateMap'; readonly entries: readonly { readonly key: Expression; readonly value: Expression }[]; readonly span: Span }
export interface CreateStruct { readonly kind: 'CreateStruct'; readonly fields: readonly { readonly name: string; readonly value: Expression }[]; readonly span: Span }
/** `x => body` or `(x, y) => body`; parameter names are upper-cased unless quoted. */
export interface Lambda { readonly kind: 'Lambda'; readonly params: readonly string[]; readonly body: Expression; readonly span: Span }
/** A bare time unit passed as a function argument, e.g. `TIMESTAMPADD(SECONDS, 5, ts)`. */
export interface IntervalUnit { readonly kind: 'IntervalUnit'; readonly unit: TimeUnit; readonly span: Span }
/** `expr AT TIME ZONE 'tz'` */
export interface AtTimeZone { readonly kind: 'AtTimeZone'; readonly expr: Expression; readonly zone: string; readonly span: Span }

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

export interface Duration { readonly value: number; readonly unit: TimeUnit; readonly millis: number; readonly span: Span }

export type SelectItem =
  | { readonly kind: 'SelectColumn'; readonly expr: Expression; readonly alias?: string; readonly span: Span }
  /** `*` (no source) or `src.*` */
  | { readonly kind: 'SelectAll'; readonly source?: string; readonly span: Span }
  /** `struct->*` */
  | { readonly kind: 'SelectStructAll'; readonly base: Expression; readonly span: Span };

export interface AliasedSource { readonly name: string; readonly alias?: string; readonly span: Span }

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';

export interface WithinClause {
  /** For the one-duration form, before === after. */
  readonly before: Duration;
  readonly after: Duration;
  readonly grace?: Duration;
  readonly span: Span;
}

export interface JoinClause {
  readonly type: JoinType;
  readonly right: AliasedSource;
  readonly within?: WithinClause;
  readonly on: Expression;
  readonly span: Span;
}

export interface FromClause {
  readonly source: AliasedSource;
  /** Left-deep n-way joins, in the order written. */
  readonly joins: readonly JoinClause[];
  readonly span: Span;
}

export type WindowExpression =
  | { readonly kind: 'TumblingWindow'; readonly size: Duration; readonly retention?: Duration; readonly grace?: Duration; readonly span: Span }
  | { readonly kind: 'HoppingWindow'; readonly size: Duration; readonly advance: Duration; readonly retention?: Duration; readonly grace?: Duration; readonly span: Span }
  | { readonly kind: 'SessionWindow'; readonly gap: Duration; readonly retention?: Duration; readonly grace?: Duration; readonly span: Span };

export interface Query {
  readonly kind: 'Query';
  readonly select: readonly SelectItem[];
  readonly from: FromClause;
  readonly window?: WindowExpression;
  readonly where?: Expression;
  readonly groupBy?: readonly Expression[];
  readonly partitionBy?: readonly Expression[];
  readonly having?: Expression;
  /** Absent: a pull query (or the query of a CSAS/CTAS, where EMIT CHANGES is implied). */
  readonly emit?: 'CHANGES' | 'FINAL';
  readonly limit?: number;
  readonly span: Span;
}

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

export type SourceType = 'STREAM' | 'TABLE';

/** WITH (...) property values: string, number or boolean literals. Keys are upper-cased. */
export interface PropertyEntry { readonly name: string; readonly value: StringLiteral | IntegerLiteral | LongLiteral | DecimalLiteral | DoubleLiteral | BooleanLiteral; readonly span: Span }
export type Properties = readonly PropertyEntry[];

export type ColumnConstraint =
  | { readonly kind: 'Key' }
  | { readonly kind: 'PrimaryKey' }
  | { readonly kind: 'Headers' }
  | { readonly kind: 'Header'; readonly key: string };

export interface TableElement {
  readonly name: string;
  readonly type: TypeNode;
  readonly constraint?: ColumnConstraint;
  readonly span: Span;
}

export interface CreateSource {
  readonly kind: 'CreateSource';
  readonly sourceType: SourceType;
  readonly name: string;
  readonly orReplace: boolean;
  /** CREATE SOURCE STREAM/TABLE (read-only). */
  readonly isSource: boolean;
  readonly ifNotExists: boolean;
  /** Empty when no column list is given (schema inference). */
  readonly elements: readonly TableElement[];
  readonly properties: Properties;
  readonly span: Span;
}

export interface CreateAsSelect {
  readonly kind: 'CreateAsSelect';
  readonly sourceType: SourceType;
  readonly name: string;
  readonly orReplace: boolean;
  readonly ifNotExists: boolean;
  readonly properties: Properties;
  readonly query: Query;
  readonly span: Span;
}

export interface InsertInto { readonly kind: 'InsertInto'; readonly target: string; readonly properties: Properties; readonly query: Query; readonly span: Span }
export interface InsertValues {
  readonly kind: 'InsertValues';
  readonly target: string;
  /** Absent: all columns in schema order (keys first). */
  readonly columns?: readonly string[];
  readonly values: readonly Expression[];
  readonly span: Span;
}
export interface DropSource { readonly kind: 'DropSource'; readonly sourceType: SourceType; readonly name: string; readonly ifExists: boolean; readonly deleteTopic: boolean; readonly span: Span }
export interface CreateType { readonly kind: 'CreateType'; readonly name: string; readonly type: TypeNode; readonly ifNotExists: boolean; readonly span: Span }
export interface DropType { readonly kind: 'DropType'; readonly name: string; readonly ifExists: boolean; readonly span: Span }

export type ShowWhat =
  | 'STREAMS' | 'TABLES' | 'TOPICS' | 'ALL_TOPICS' | 'QUERIES' | 'PROPERTIES' | 'FUNCTIONS' | 'TYPES' | 'VARIABLES'
  | 'CONNECTORS' | 'SOURCE_CONNECTORS' | 'SINK_CONNECTORS' | 'CONNECTOR_PLUGINS';
export interface Show { readonly kind: 'Show'; readonly what: ShowWhat; readonly extended: boolean; readonly span: Span }

export interface DescribeSource { readonly kind: 'DescribeSource'; readonly name: string; readonly extended: boolean; readonly span: Span }
/** DESCRIBE STREAMS / DESCRIBE TABLES */
export interface DescribeSources { readonly kind: 'DescribeSources'; readonly sourceType: SourceType; readonly extended: boolean; readonly span: Span }
export interface DescribeFunction { readonly kind: 'DescribeFunction'; readonly name: string; readonly span: Span }
export interface DescribeConnector { readonly kind: 'DescribeConnector'; readonly name: string; readonly span: Span }

export interface Explain {
  readonly kind: 'Explain';
  /** Either a query id or a statement to explain. */
  readonly queryId?: string;
  readonly statement?: Statement;
  readonly span: Span;
}

/** TERMINATE / PAUSE / RESUME: `queryId` is absent for ALL. Query ids keep their case as written. */
export interface QueryControl { readonly kind: 'Terminate' | 'Pause' | 'Resume'; readonly queryId?: string; readonly span: Span }

export interface SetProperty { readonly kind: 'SetProperty'; readonly name: string; readonly value: string; readonly span: Span }
export interface UnsetProperty { readonly kind: 'UnsetProperty'; readonly name: string; readonly span: Span }
export interface AlterSystem { readonly kind: 'AlterSystem'; readonly name: string; readonly value: string; readonly span: Span }
/** Variable names keep their case (ksqlDB compares them case-insensitively). */
export interface DefineVariable { readonly kind: 'DefineVariable'; readonly name: string; readonly value: string; readonly span: Span }
export interface UndefineVariable { readonly kind: 'UndefineVariable'; readonly name: string; readonly span: Span }

export interface Print {
  readonly kind: 'Print';
  /** The topic name exactly as written (quoted or not; PRINT topics are case-sensitive). */
  readonly topic: string;
  readonly fromBeginning: boolean;
  readonly interval?: number;
  readonly limit?: number;
  readonly span: Span;
}

export interface AlterSource {
  readonly kind: 'AlterSource';
  readonly sourceType: SourceType;
  readonly name: string;
  readonly addColumns: readonly TableElement[];
  readonly span: Span;
}

export interface AssertTopic {
  readonly kind: 'AssertTopic';
  readonly topic: string;
  readonly exists: boolean;
  readonly properties: Properties;
  readonly timeout?: Duration;
  readonly span: Span;
}
export interface AssertSchema {
  readonly kind: 'AssertSchema';
  readonly subject?: string;
  readonly id?: number;
  readonly exists: boolean;
  readonly timeout?: Duration;
  readonly span: Span;
}

export interface CreateConnector {
  readonly kind: 'CreateConnector';
  readonly connectorType: 'SOURCE' | 'SINK';
  readonly name: string;
  readonly ifNotExists: boolean;
  readonly properties: Properties;
  readonly span: Span;
}
export interface DropConnector { readonly kind: 'DropConnector'; readonly name: string; readonly ifExists: boolean; readonly span: Span }
export interface RunScript { readonly kind: 'RunScript'; readonly path: string; readonly span: Span }

export type Statement =
  | Query
  | CreateSource
  | CreateAsSelect
  | InsertInto
  | InsertValues
  | DropSource
  | CreateType
  | DropType
  | Show
  | DescribeSource
  | DescribeSources
  | DescribeFunction
  | DescribeConnector
  | Explain
  | QueryControl
  | SetProperty
  | UnsetProperty
  | AlterSystem
  | DefineVariable
  | UndefineVariable
  | Print
  | AlterSource
  | AssertTopic
  | AssertSchema
  | CreateConnector
  | DropConnector
  | RunScript;

/** One statement of a script, with its exact text (including the trailing `;`, as ksqlDB echoes it). */
export interface ParsedStatement {
  readonly statement: Statement;
  readonly text: string;
  readonly span: Span;
}

export function assertNever(x: never): never {
  throw new Error(`unexpected node: ${JSON.stringify(x)}`);
}
