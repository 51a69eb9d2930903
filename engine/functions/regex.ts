/**
 * Regular-expression functions (ksqlDB udf/string REGEXP_*) over Java regex syntax, translated to JS by
 * regex-java.ts (compiled patterns are cached there).
 */
import { KsqlException } from '../errors/index.js';
import {
  type CompiledJavaRegex, JavaRegexSyntaxError, compileJavaRegex, forEachMatch, javaReplaceAll, javaSplit, matchesEmpty,
} from './regex-java.js';

function compile(pattern: string): CompiledJavaRegex {
  try {
    return compileJavaRegex(pattern);
  } catch (e) {
    if (e instanceof JavaRegexSyntaxError) throw new KsqlException(`Invalid regular expression pattern: ${pattern}. ${e.message}`, { cause: e });
    throw e;
  }
}

/** REGEXP_EXTRACT(pattern, input[, group]): the group of the first match, or null. */
export function regexpExtract(pattern: string, input: string, group = 0): string | null {
  const re = compile(pattern);
  let out: string | null = null;
  forEachMatch(re, input, (m) => {
    out = m.group(group);
    return false;
  });
  return out;
}

/** REGEXP_EXTRACT_ALL(pattern, input[, group]): the group of every match (null where it did not participate). */
export function regexpExtractAll(pattern: string, input: string, group = 0): (string | null)[] {
  const re = compile(pattern);
  const out: (string | null)[] = [];
  forEachMatch(re, input, (m) => { out.push(m.group(group)); });
  return out;
}

/** REGEXP_REPLACE(input, regex, replacement): `input.replaceAll(regex, replacement)` with `$n` references. */
export function regexpReplace(input: string, regex: string, replacement: string): string {
  return javaReplaceAll(compile(regex), input, replacement);
}

/**
 * REGEXP_SPLIT_TO_ARRAY(string, regexp): Guava's Splitter.on(pattern) (keeps leading and trailing empty
 * strings); patterns that match the empty string use Pattern.split instead (drops trailing empties).
 */
export function regexpSplitToArray(str: string, regexp: string): string[] {
  const re = compile(regexp);
  if (regexp === '' || matchesEmpty(re)) return javaSplit(re, str);
  return guavaSplit(re, str);
}

function guavaSplit(re: CompiledJavaRegex, s: string): string[] {
  const regex = re.regex;
  const find = (from: number): [number, number] | null => {
    regex.lastIndex = from;
    const m = regex.exec(s);
    return m === null ? null : [m.index, m.index + m[0].length];
  };
  const out: string[] = [];
  let offset = 0;
  while (offset !== -1) {
    const nextStart = offset;
    let piece: string | null = null;
    while (offset !== -1) {
      const start = nextStart;
      let end: number;
      const sep = offset <= s.length ? find(offset) : null;
      if (sep === null) { end = s.length; offset = -1; }
      else { end = sep[0]; offset = sep[1]; }
      if (offset === nextStart) {
        offset++;
        if (offset > s.length) offset = -1;
        continue;
      }
      piece = s.slice(start, end);
      break;
    }
    if (piece === null) break;
    out.push(piece);
  }
  return out;
}
