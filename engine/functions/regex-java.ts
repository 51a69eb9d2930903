/**
 * Java (java.util.regex) patterns compiled to JS RegExps with the same matching behaviour.
 *
 * ksqlDB's REGEXP_* functions take Java regex syntax. Both engines are backtracking, leftmost-first
 * matchers over UTF-16 with code-point aware classes, so most patterns mean the same; the translator
 * parses the Java syntax and re-emits it for a JS `v`-mode RegExp, rewriting what differs:
 *
 *  - inline flags `(?idmsuxU-idmsuxU)` and `(?i:…)`, scoped like Java (to the end of the enclosing
 *    group); case-insensitivity is expanded per character (Java's default is ASCII-only folding,
 *    `(?iu)` folds Unicode), `.`/`^`/`$` are rewritten per DOTALL/MULTILINE/UNIX_LINES; COMMENTS mode
 *    skips whitespace and `#` comments
 *  - Java's line terminators (`\r\n`, `\u0085`, `\u2028`, `\u2029`) in `.`, `^`, `$` (`$` also matches
 *    before a final line terminator), `\A`, `\z`, `\Z`
 *  - `\Q…\E` quoting; `\h \H \v \V \R`; `\s` is ASCII (` \t\n\x0B\f\r`); `\b` uses Java's
 *    letter-or-digit-or-underscore word characters; `\e \a \cX \0ooo \x{…}`
 *  - possessive quantifiers `*+ ++ ?+ {n,m}+` and atomic groups `(?>…)`, emulated with a lookahead
 *    capture and a backreference (extra JS groups; Java group numbers are remapped)
 *  - character classes: unions `[a-d[m-p]]`, intersections `[a-z&&[^aeiou]]`, negation of the whole
 *    class, a leading `]` as a literal, POSIX `\p{Alpha}`…, `\p{javaLowerCase}`…, categories `\p{Lu}`
 *    `\p{IsLu}` `\p{gc=Lu}`, scripts `\p{IsLatin}` `\p{sc=Latin}`, binary properties `\p{IsAlphabetic}`,
 *    a few common blocks `\p{InGreek}`; `(?U)` switches `\w \d \s \b` and POSIX classes to Unicode
 *  - `$n`/`${name}` replacement references with Java's parsing (see compileReplacement).
 *
 * Not translatable (throws): `\G`, `\X`, `\N{…}`, `\b{g}`, unknown Unicode blocks. Known differences:
 * a backreference to a group that did not participate matches the empty string in JS but fails in Java;
 * case-insensitive backreferences are exact unless the whole pattern is case-insensitive.
 */
import { KsqlException } from '../errors/index.js';

// Flags (java.util.regex.Pattern constants)
const UNIX_LINES = 0x01;
const CASE_INSENSITIVE = 0x02;
const COMMENTS = 0x04;
const MULTILINE = 0x08;
const DOTALL = 0x20;
const UNICODE_CASE = 0x40;
const UNICODE_CHARACTER_CLASS = 0x100;

const FLAG_BITS: Record<string, number> = {
  i: CASE_INSENSITIVE, d: UNIX_LINES, m: MULTILINE, s: DOTALL, u: UNICODE_CASE, x: COMMENTS,
  U: UNICODE_CHARACTER_CLASS | UNICODE_CASE,
};

export class JavaRegexSyntaxError extends KsqlException {
  constructor(description: string, readonly pattern: string, readonly index: number) {
    super(`${description} near index ${index}\n${pattern}`);
  }
}

export interface CompiledJavaRegex {
  /** The Java pattern. */
  readonly pattern: string;
  /** The JS translation, with the `g` flag (callers set lastIndex). */
  readonly regex: RegExp;
  /** Number of Java capturing groups. */
  readonly groupCount: number;
  /** JS group index of each Java group (index 0 is the whole match). */
  readonly groupMap: readonly number[];
  /** Java group number of each named group. */
  readonly namedGroups: ReadonlyMap<string, number>;
}

// ---------------------------------------------------------------------------------------------
// AST: leaves are already JS text (flags are applied while parsing); groups are numbered on emission.

type Node =
  | { readonly kind: 'js'; readonly js: string; readonly quantifiable: boolean }
  | { readonly kind: 'group'; readonly type: 'capture' | 'plain' | 'atomic' | '(?=' | '(?!' | '(?<=' | '(?<!'; readonly index?: number; readonly name?: string; readonly body: Node }
  | { readonly kind: 'alt'; readonly branches: readonly (readonly Node[])[] }
  | { readonly kind: 'quant'; readonly atom: Node; readonly q: string; readonly mode: '' | '?' | '+' }
  | { readonly kind: 'backref'; readonly index: number };

// ---------------------------------------------------------------------------------------------
// Character sets (JS `v`-mode class operands)

const SPACE = '[\\t-\\r\\x20]';
const HSPACE = '[\\t\\x20\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000]';
const VSPACE = '[\\n-\\r\\x85\\u2028\\u2029]';
const LINE_TERMINATORS = '[\\n\\r\\x85\\u2028\\u2029]';
const UNICODE_WORD = '[\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}]';

const POSIX: Record<string, string> = {
  Lower: '[a-z]', Upper: '[A-Z]', ASCII: '[\\x00-\\x7F]', Alpha: '[a-zA-Z]', Digit: '[0-9]', Alnum: '[a-zA-Z0-9]',
  Punct: '[\\!-\\/\\:-\\@\\[-\\`\\{-\\~]', Graph: '[\\!-\\~]', Print: '[\\x20-\\~]', Blank: '[\\x20\\t]',
  Cntrl: '[\\x00-\\x1F\\x7F]', XDigit: '[0-9a-fA-F]', Space: SPACE,
};

const POSIX_UNICODE: Record<string, string> = {
  Lower: '\\p{Lowercase}', Upper: '\\p{Uppercase}', ASCII: '[\\x00-\\x7F]', Alpha: '\\p{Alphabetic}', Digit: '\\p{Nd}',
  Alnum: '[\\p{Alphabetic}\\p{Nd}]', Punct: '\\p{P}', Graph: '[^\\p{White_Space}\\p{Cc}\\p{Cs}\\p{Cn}]',
  Print: '[[^\\p{White_Space}\\p{Cc}\\p{Cs}\\p{Cn}][\\p{Zs}]]', Blank: '[\\p{Zs}\\t]', Cntrl: '\\p{Cc}',
  XDigit: '[\\p{Nd}\\p{Hex_Digit}]', Space: '\\p{White_Space}',
};

const JAVA_CHARACTER: Record<string, string> = {
  javaLowerCase: '\\p{Lowercase}', javaUpperCase: '\\p{Uppercase}', javaTitleCase: '\\p{Lt}',
  javaDigit: '\\p{Nd}', javaDefined: '\\P{Cn}', javaLetter: '\\p{L}', javaLetterOrDigit: '[\\p{L}\\p{Nd}]',
  javaAlphabetic: '\\p{Alphabetic}', javaIdeographic: '\\p{Ideographic}', javaSpaceChar: '[\\p{Zs}\\p{Zl}\\p{Zp}]',
  javaWhitespace: '[[\\t-\\r\\x1C-\\x1F\\p{Zs}\\p{Zl}\\p{Zp}]--[\\xA0\\u2007\\u202F]]', javaISOControl: '[\\x00-\\x1F\\x7F-\\x9F]',
  javaMirrored: '\\p{Bidi_M}', javaJavaIdentifierStart: '[\\p{L}\\p{Nl}\\p{Sc}\\p{Pc}]',
  javaJavaIdentifierPart: '[\\p{L}\\p{Nl}\\p{Sc}\\p{Pc}\\p{Nd}\\p{Mn}\\p{Mc}\\x00-\\x08\\x0E-\\x1B\\x7F-\\x9F\\p{Cf}]',
  javaUnicodeIdentifierStart: '[\\p{ID_Start}]', javaUnicodeIdentifierPart: '[\\p{ID_Continue}\\p{Cf}]',
  javaIdentifierIgnorable: '[\\x00-\\x08\\x0E-\\x1B\\x7F-\\x9F\\p{Cf}]',
};

const CATEGORIES = new Set([
  'L', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'LC', 'M', 'Mn', 'Mc', 'Me', 'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Ps', 'Pe', 'Pi', 'Pf',
  'Po', 'S', 'Sm', 'Sc', 'Sk', 'So', 'Z', 'Zs', 'Zl', 'Zp', 'C', 'Cc', 'Cf', 'Cs', 'Co', 'Cn',
]);

const BINARY: Record<string, string> = {
  ALPHABETIC: '\\p{Alphabetic}', LETTER: '\\p{L}', IDEOGRAPHIC: '\\p{Ideographic}', LOWERCASE: '\\p{Lowercase}',
  UPPERCASE: '\\p{Uppercase}', TITLECASE: '\\p{Lt}', WHITESPACE: '\\p{White_Space}', WHITE_SPACE: '\\p{White_Space}',
  CONTROL: '\\p{Cc}', PUNCTUATION: '\\p{P}', HEXDIGIT: '\\p{Hex_Digit}', HEX_DIGIT: '\\p{Hex_Digit}',
  JOINCONTROL: '\\p{Join_Control}', JOIN_CONTROL: '\\p{Join_Control}', NONCHARACTERCODEPOINT: '\\p{Noncharacter_Code_Point}',
  NONCHARACTER_CODE_POINT: '\\p{Noncharacter_Code_Point}', DIGIT: '\\p{Nd}', ALNUM: '[\\p{Alphabetic}\\p{Nd}]',
  ASSIGNED: '\\P{Cn}', EMOJI: '\\p{Emoji}', EMOJI_PRESENTATION: '\\p{Emoji_Presentation}',
  EMOJI_MODIFIER: '\\p{Emoji_Modifier}', EMOJI_MODIFIER_BASE: '\\p{Emoji_Modifier_Base}', EMOJI_COMPONENT: '\\p{Emoji_Component}',
  EXTENDED_PICTOGRAPHIC: '\\p{Extended_Pictographic}',
};

/** A few Unicode blocks (JS has no block property). Keys are normalised: upper case, no spaces, '-' or '_'. */
const BLOCKS: Record<string, string> = {
  BASICLATIN: '[\\x00-\\x7F]', LATIN1SUPPLEMENT: '[\\x80-\\xFF]', LATINEXTENDEDA: '[\\u0100-\\u017F]',
  LATINEXTENDEDB: '[\\u0180-\\u024F]', IPAEXTENSIONS: '[\\u0250-\\u02AF]', COMBININGDIACRITICALMARKS: '[\\u0300-\\u036F]',
  GREEK: '[\\u0370-\\u03FF]', GREEKANDCOPTIC: '[\\u0370-\\u03FF]', CYRILLIC: '[\\u0400-\\u04FF]', ARMENIAN: '[\\u0530-\\u058F]',
  HEBREW: '[\\u0590-\\u05FF]', ARABIC: '[\\u0600-\\u06FF]', DEVANAGARI: '[\\u0900-\\u097F]', THAI: '[\\u0E00-\\u0E7F]',
  HANGULJAMO: '[\\u1100-\\u11FF]', LATINEXTENDEDADDITIONAL: '[\\u1E00-\\u1EFF]', GREEKEXTENDED: '[\\u1F00-\\u1FFF]',
  GENERALPUNCTUATION: '[\\u2000-\\u206F]', CURRENCYSYMBOLS: '[\\u20A0-\\u20CF]', LETTERLIKESYMBOLS: '[\\u2100-\\u214F]',
  ARROWS: '[\\u2190-\\u21FF]', MATHEMATICALOPERATORS: '[\\u2200-\\u22FF]', BOXDRAWING: '[\\u2500-\\u257F]',
  GEOMETRICSHAPES: '[\\u25A0-\\u25FF]', MISCELLANEOUSSYMBOLS: '[\\u2600-\\u26FF]', DINGBATS: '[\\u2700-\\u27BF]',
  CJKSYMBOLSANDPUNCTUATION: '[\\u3000-\\u303F]', HIRAGANA: '[\\u3040-\\u309F]', KATAKANA: '[\\u30A0-\\u30FF]',
  CJKUNIFIEDIDEOGRAPHS: '[\\u4E00-\\u9FFF]', HANGULSYLLABLES: '[\\uAC00-\\uD7AF]', PRIVATEUSEAREA: '[\\uE000-\\uF8FF]',
  HALFWIDTHANDFULLWIDTHFORMS: '[\\uFF00-\\uFFEF]', SPECIALS: '[\\uFFF0-\\uFFFF]',
  EMOTICONS: '[\\u{1F600}-\\u{1F64F}]', MISCELLANEOUSSYMBOLSANDPICTOGRAPHS: '[\\u{1F300}-\\u{1F5FF}]',
  SUPPLEMENTALSYMBOLSANDPICTOGRAPHS: '[\\u{1F900}-\\u{1F9FF}]', TRANSPORTANDMAPSYMBOLS: '[\\u{1F680}-\\u{1F6FF}]',
};

const scriptNames = new Map<string, string | null>();

/** JS wants canonical script names ('Latin'); Java accepts any case. */
function scriptProperty(name: string): string | null {
  const hit = scriptNames.get(name);
  if (hit !== undefined) return hit;
  const candidates = [
    name,
    name.split('_').map((p) => p.charAt(0).toUpperCase() + p.slice(1).toLowerCase()).join('_'),
    name.toUpperCase(),
    name.charAt(0).toUpperCase() + name.slice(1).toLowerCase(),
  ];
  let found: string | null = null;
  for (const c of candidates) {
    try {
      new RegExp(`\\p{Script=${c}}`, 'v');
      found = `\\p{Script=${c}}`;
      break;
    } catch { /* next */ }
  }
  scriptNames.set(name, found);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Emitting characters

const SYNTAX_OUTSIDE = new Set('^$\\.*+?()[]{}|/');
const SPECIAL_IN_CLASS = new Set('^$\\.*+?()[]{}|/&-!#%,:;<=>@`~');

function hexEscape(cp: number): string {
  return `\\u{${cp.toString(16).toUpperCase()}}`;
}

function isPrintable(cp: number): boolean {
  return cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp <= 0x9f) && !(cp >= 0xd800 && cp <= 0xdfff);
}

function charOutside(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (SYNTAX_OUTSIDE.has(ch)) return '\\' + ch;
  return isPrintable(cp) ? ch : hexEscape(cp);
}

function charInClass(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (SPECIAL_IN_CLASS.has(ch)) return '\\' + ch;
  return isPrintable(cp) && cp !== 0x20 ? ch : hexEscape(cp);
}

/** Case variants of a code point (Java CASE_INSENSITIVE: ASCII only; with UNICODE_CASE: Unicode). */
function caseVariants(cp: number, unicode: boolean): number[] {
  if (cp < 0x80) {
    if (cp >= 0x41 && cp <= 0x5a) return [cp, cp + 32];
    if (cp >= 0x61 && cp <= 0x7a) return [cp, cp - 32];
    return [cp];
  }
  if (!unicode) return [cp];
  const out = new Set([cp]);
  const ch = String.fromCodePoint(cp);
  for (const v of [ch.toUpperCase(), ch.toLowerCase(), ch.toUpperCase().toLowerCase()]) {
    if ([...v].length === 1) out.add(v.codePointAt(0)!);
  }
  return [...out];
}

// ---------------------------------------------------------------------------------------------
// Character class model

type ClassItem =
  | { readonly kind: 'char'; readonly cp: number }
  | { readonly kind: 'range'; readonly from: number; readonly to: number }
  | { readonly kind: 'js'; readonly js: string }
  | { readonly kind: 'class'; readonly cls: ClassExpr };

interface ClassExpr {
  readonly negated: boolean;
  /** Intersected operands; each is a union of items. */
  readonly operands: readonly (readonly ClassItem[])[];
}

function emitClass(c: ClassExpr, ci: boolean, unicodeCase: boolean): string {
  const union = (items: readonly ClassItem[]): string => items.map((it) => emitItem(it, ci, unicodeCase)).join('');
  const neg = c.negated ? '^' : '';
  if (c.operands.length === 1) return `[${neg}${union(c.operands[0]!)}]`;
  return `[${neg}${c.operands.map((o) => `[${union(o)}]`).join('&&')}]`;
}

function emitItem(it: ClassItem, ci: boolean, unicodeCase: boolean): string {
  switch (it.kind) {
    case 'char':
      return ci ? caseVariants(it.cp, unicodeCase).map(charInClass).join('') : charInClass(it.cp);
    case 'range': {
      let out = `${charInClass(it.from)}-${charInClass(it.to)}`;
      if (ci) {
        // add the other case of the ASCII letters in the range
        const add = (lo: number, hi: number, delta: number): void => {
          const a = Math.max(it.from, lo);
          const b = Math.min(it.to, hi);
          if (a <= b) out += `${charInClass(a + delta)}-${charInClass(b + delta)}`;
        };
        add(0x41, 0x5a, 32);
        add(0x61, 0x7a, -32);
        if (unicodeCase && it.to >= 0x80 && it.to - it.from < 2000) {
          for (let cp = Math.max(it.from, 0x80); cp <= it.to; cp++) {
            for (const v of caseVariants(cp, true)) if (v < it.from || v > it.to) out += charInClass(v);
          }
        }
      }
      return out;
    }
    case 'js': return it.js;
    case 'class': return emitClass(it.cls, ci, unicodeCase);
  }
}

// ---------------------------------------------------------------------------------------------
// The parser

/** Java's RemoveQEQuoting: `\Q…\E` becomes escaped characters (before anything else is parsed). */
function removeQuoting(p: string): string {
  if (!p.includes('\\Q')) return p;
  let out = '';
  let i = 0;
  while (i < p.length) {
    const c = p[i]!;
    if (c !== '\\') { out += c; i++; continue; }
    if (p[i + 1] !== 'Q') { out += p.slice(i, i + 2); i += 2; continue; }
    i += 2;
    const end = p.indexOf('\\E', i);
    const quoted = end < 0 ? p.slice(i) : p.slice(i, end);
    for (const ch of quoted) out += /[A-Za-z0-9]/.test(ch) ? ch : `\\${ch}`;
    i = end < 0 ? p.length : end + 2;
  }
  return out;
}

class Translator {
  private readonly src: string;
  private pos = 0;
  private flags: number;
  groupCount = 0;
  readonly names = new Map<string, number>();
  caseSensitiveLetters = false;
  caseInsensitiveBackref = false;

  constructor(readonly pattern: string, flags: number) {
    this.src = removeQuoting(pattern);
    this.flags = flags;
  }

  private error(description: string, at = this.pos): never {
    throw new JavaRegexSyntaxError(description, this.pattern, at);
  }

  private has(f: number): boolean {
    return (this.flags & f) !== 0;
  }

  /** The code point at `pos` (without skipping comments). */
  private cpAt(i: number): number {
    return i < this.src.length ? this.src.codePointAt(i)! : -1;
  }

  private skipComments(): void {
    if (!this.has(COMMENTS)) return;
    for (;;) {
      const c = this.src[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\x0B' || c === '\f' || c === '\r') { this.pos++; continue; }
      if (c === '#') {
        while (this.pos < this.src.length && !this.isLineSeparator(this.src.charCodeAt(this.pos))) this.pos++;
        continue;
      }
      return;
    }
  }

  private isLineSeparator(c: number): boolean {
    return this.has(UNIX_LINES) ? c === 0x0a : c === 0x0a || c === 0x0d || c === 0x85 || (c | 1) === 0x2029;
  }

  private peek(): number {
    this.skipComments();
    return this.cpAt(this.pos);
  }

  private next(): number {
    this.skipComments();
    const c = this.cpAt(this.pos);
    if (c >= 0) this.pos += c > 0xffff ? 2 : 1;
    return c;
  }

  /** Reads one code point without comment skipping (inside escapes). */
  private raw(): number {
    const c = this.cpAt(this.pos);
    if (c >= 0) this.pos += c > 0xffff ? 2 : 1;
    return c;
  }

  parse(): Node {
    const node = this.alternation();
    if (this.pos < this.src.length) {
      if (this.peek() === 0x29) this.error("Unmatched closing ')'");
      this.error('Unexpected character');
    }
    return node;
  }

  private alternation(): Node {
    const branches: Node[][] = [this.sequence()];
    while (this.peek() === 0x7c /* | */) {
      this.next();
      branches.push(this.sequence());
    }
    return { kind: 'alt', branches };
  }

  private sequence(): Node[] {
    const items: Node[] = [];
    for (;;) {
      const c = this.peek();
      if (c === -1 || c === 0x7c || c === 0x29) return items;
      const atom = this.atom();
      if (atom === null) continue; // a pure flag group
      items.push(this.closure(atom));
    }
  }

  private atom(): Node | null {
    const start = this.pos;
    const c = this.next();
    switch (c) {
      case 0x28 /* ( */: return this.group();
      case 0x5b /* [ */: {
        const cls = this.charClass();
        return this.js(emitClass(cls, this.has(CASE_INSENSITIVE), this.has(UNICODE_CASE)), true);
      }
      case 0x5c /* \ */: return this.escapeOutside();
      case 0x2e /* . */:
        if (this.has(DOTALL)) return this.js('[\\s\\S]', true);
        return this.js(this.has(UNIX_LINES) ? '[^\\n]' : '[^\\n\\r\\x85\\u2028\\u2029]', true);
      case 0x5e /* ^ */: return this.js(this.caret(), false);
      case 0x24 /* $ */: return this.js(this.dollar(this.has(MULTILINE)), false);
      case 0x2a: case 0x2b: case 0x3f: /* * + ? */
        return this.error(`Dangling meta character '${String.fromCodePoint(c)}'`, start);
      case 0x7b /* { */: return this.error('Illegal repetition', start);
      default: return this.literal(c);
    }
  }

  private js(js: string, quantifiable: boolean): Node {
    return { kind: 'js', js, quantifiable };
  }

  private literal(cp: number): Node {
    if (this.has(CASE_INSENSITIVE)) {
      const variants = caseVariants(cp, this.has(UNICODE_CASE));
      if (variants.length > 1) return this.js(`[${variants.map(charInClass).join('')}]`, true);
    } else if (caseVariants(cp, true).length > 1) {
      this.caseSensitiveLetters = true;
    }
    return this.js(charOutside(cp), true);
  }

  private caret(): string {
    if (!this.has(MULTILINE)) return '(?<![\\s\\S])';
    if (this.has(UNIX_LINES)) return '(?:(?<![\\s\\S])|(?<=\\n))(?=[\\s\\S])';
    return `(?:(?<![\\s\\S])|(?<=${LINE_TERMINATORS})(?!(?<=\\r)\\n))(?=[\\s\\S])`;
  }

  private dollar(multiline: boolean): string {
    if (this.has(UNIX_LINES)) return multiline ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))';
    if (multiline) return `(?:(?![\\s\\S])|(?=${LINE_TERMINATORS})(?!(?<=\\r)\\n))`;
    return `(?:(?![\\s\\S])|(?=${LINE_TERMINATORS}(?![\\s\\S]))(?!(?<=\\r)\\n)|(?=\\r\\n(?![\\s\\S])))`;
  }

  private closure(atom: Node): Node {
    const c = this.peek();
    let q: string;
    const at = this.pos;
    if (c === 0x2a) { this.next(); q = '*'; }
    else if (c === 0x2b) { this.next(); q = '+'; }
    else if (c === 0x3f) { this.next(); q = '?'; }
    else if (c === 0x7b) {
      this.next();
      const m = /^(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      if (!m) {
        if (/^\d/.test(this.src.slice(this.pos))) this.error('Unclosed counted closure', at);
        this.error('Illegal repetition', at);
      }
      const min = Number(m[1]);
      const max = m[3] === undefined ? (m[2] ? Infinity : min) : Number(m[3]);
      if (m[3] !== undefined && m[3] !== '' && max < min) this.error('Illegal repetition range', at);
      if (min > 2147483647 || (max !== Infinity && max > 2147483647)) this.error('Illegal repetition range', at);
      this.pos += m[0].length;
      q = `{${m[1]}${m[2] ? `,${m[3] ?? ''}` : ''}}`;
    } else {
      return atom;
    }
    let mode: '' | '?' | '+' = '';
    const n = this.peek();
    if (n === 0x3f) { this.next(); mode = '?'; }
    else if (n === 0x2b) { this.next(); mode = '+'; }
    const after = this.peek();
    if (after === 0x2a || after === 0x2b || after === 0x3f) this.error(`Dangling meta character '${String.fromCodePoint(after)}'`);
    return { kind: 'quant', atom, q, mode };
  }

  private group(): Node | null {
    const saved = this.flags;
    let node: Node;
    if (this.cpAt(this.pos) === 0x3f /* ? */) {
      this.pos++;
      const c = this.raw();
      switch (c) {
        case 0x3a /* : */: node = { kind: 'group', type: 'plain', body: this.alternation() }; break;
        case 0x3d /* = */: node = { kind: 'group', type: '(?=', body: this.alternation() }; break;
        case 0x21 /* ! */: node = { kind: 'group', type: '(?!', body: this.alternation() }; break;
        case 0x3e /* > */: node = { kind: 'group', type: 'atomic', body: this.alternation() }; break;
        case 0x3c /* < */: {
          const n = this.raw();
          if (n === 0x3d) { node = { kind: 'group', type: '(?<=', body: this.alternation() }; break; }
          if (n === 0x21) { node = { kind: 'group', type: '(?<!', body: this.alternation() }; break; }
          this.pos--;
          const name = this.groupName();
          if (this.names.has(name)) this.error(`Named capturing group <${name}> is already defined`);
          const index = ++this.groupCount;
          this.names.set(name, index);
          node = { kind: 'group', type: 'capture', index, name, body: this.alternation() };
          break;
        }
        default: {
          this.pos -= c > 0xffff ? 2 : 1;
          const scoped = this.inlineFlags();
          if (!scoped) return null; // (?i): applies to the rest of the enclosing group
          node = { kind: 'group', type: 'plain', body: this.alternation() };
        }
      }
    } else {
      const index = ++this.groupCount;
      node = { kind: 'group', type: 'capture', index, body: this.alternation() };
    }
    if (this.next() !== 0x29) this.error('Unclosed group');
    this.flags = saved;
    return node;
  }

  private groupName(): string {
    const m = /^([a-zA-Z][a-zA-Z0-9]*)>/.exec(this.src.slice(this.pos));
    if (!m) this.error('named capturing group is missing trailing \'>\'');
    this.pos += m[0].length;
    return m[1]!;
  }

  /** After `(?`: flags then ')' (returns false, flags stay set) or ':' (returns true: a scoped group). */
  private inlineFlags(): boolean {
    let on = true;
    for (;;) {
      const c = this.raw();
      const ch = c >= 0 ? String.fromCodePoint(c) : '';
      if (ch === ')') return false;
      if (ch === ':') return true;
      if (ch === '-') { on = false; continue; }
      const bit = FLAG_BITS[ch];
      if (bit === undefined) this.error('Unknown inline modifier', this.pos - 1);
      if (on) this.flags |= bit;
      else this.flags &= ch === 'U' ? ~UNICODE_CHARACTER_CLASS : ~bit;
    }
  }

  // --- escapes ---------------------------------------------------------------------------------

  /** Escapes that denote a single code point, or null. */
  private charEscape(c: number): number | null {
    switch (String.fromCodePoint(c)) {
      case 't': return 0x09;
      case 'n': return 0x0a;
      case 'r': return 0x0d;
      case 'f': return 0x0c;
      case 'a': return 0x07;
      case 'e': return 0x1b;
      case '0': return this.octal();
      case 'x': return this.hex();
      case 'u': return this.unicode();
      case 'c': {
        const x = this.raw();
        if (x < 0) this.error('Illegal control escape sequence');
        return x ^ 64;
      }
      default: return null;
    }
  }

  private octal(): number {
    const m = /^[0-7]{1,3}/.exec(this.src.slice(this.pos));
    if (!m) this.error('Illegal octal escape sequence');
    let digits = m[0];
    if (digits.length === 3 && digits[0]! > '3') digits = digits.slice(0, 2);
    this.pos += digits.length;
    return parseInt(digits, 8);
  }

  private hex(): number {
    const rest = this.src.slice(this.pos);
    let m = /^[0-9a-fA-F]{2}/.exec(rest);
    if (m) { this.pos += 2; return parseInt(m[0], 16); }
    m = /^\{([0-9a-fA-F]+)\}/.exec(rest);
    if (m) {
      const cp = parseInt(m[1]!, 16);
      if (cp > 0x10ffff) this.error('Hexadecimal codepoint is too big');
      this.pos += m[0].length;
      return cp;
    }
    return this.error('Illegal hexadecimal escape sequence');
  }

  private unicode(): number {
    const m = /^[0-9a-fA-F]{4}/.exec(this.src.slice(this.pos));
    if (!m) this.error('Illegal Unicode escape sequence');
    this.pos += 4;
    const cp = parseInt(m[0], 16);
    // a surrogate pair written as two \u escapes is one code point
    if (cp >= 0xd800 && cp <= 0xdbff && this.src.startsWith('\\u', this.pos)) {
      const m2 = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(this.src.slice(this.pos));
      if (m2) {
        this.pos += 6;
        return 0x10000 + ((cp - 0xd800) << 10) + (parseInt(m2[1]!, 16) - 0xdc00);
      }
    }
    return cp;
  }

  /** Predefined classes usable inside and outside brackets: JS class-operand text, or null. */
  private classEscape(c: number): string | null {
    const unicode = this.has(UNICODE_CHARACTER_CLASS);
    switch (String.fromCodePoint(c)) {
      case 'd': return unicode ? '\\p{Nd}' : '[0-9]';
      case 'D': return unicode ? '\\P{Nd}' : '[^0-9]';
      case 'w': return unicode ? UNICODE_WORD : '[a-zA-Z0-9_]';
      case 'W': return unicode ? `[^${UNICODE_WORD.slice(1, -1)}]` : '[^a-zA-Z0-9_]';
      case 's': return unicode ? '\\p{White_Space}' : SPACE;
      case 'S': return unicode ? '\\P{White_Space}' : '[^\\t-\\r\\x20]';
      case 'h': return HSPACE;
      case 'H': return `[^${HSPACE.slice(1, -1)}]`;
      case 'v': return VSPACE;
      case 'V': return `[^${VSPACE.slice(1, -1)}]`;
      case 'p': return this.property(false);
      case 'P': return this.property(true);
      default: return null;
    }
  }

  private property(negated: boolean): string {
    let name: string;
    if (this.src[this.pos] === '{') {
      const end = this.src.indexOf('}', this.pos);
      if (end < 0) this.error('Unclosed character family');
      name = this.src.slice(this.pos + 1, end);
      this.pos = end + 1;
    } else {
      const c = this.raw();
      if (c < 0) this.error('Illegal character family');
      name = String.fromCodePoint(c);
    }
    const js = this.propertyJs(name);
    if (js === null) this.error(`Unknown character property name {${name}}`);
    if (!negated) return js;
    if (js.startsWith('\\p{')) return `\\P{${js.slice(3)}`;
    if (js.startsWith('\\P{')) return `\\p{${js.slice(3)}`;
    return `[^${js}]`;
  }

  private propertyJs(name: string): string | null {
    const unicode = this.has(UNICODE_CHARACTER_CLASS);
    const eq = name.indexOf('=');
    if (eq >= 0) {
      const key = name.slice(0, eq).toLowerCase();
      const value = name.slice(eq + 1);
      if (key === 'sc' || key === 'script') return scriptProperty(value);
      if (key === 'gc' || key === 'general_category') return CATEGORIES.has(value) ? `\\p{${value}}` : null;
      if (key === 'blk' || key === 'block') return BLOCKS[value.toUpperCase().replace(/[\s_-]/g, '')] ?? null;
      return null;
    }
    if (name.startsWith('In')) return BLOCKS[name.slice(2).toUpperCase().replace(/[\s_-]/g, '')] ?? null;
    if (name.startsWith('Is')) {
      const rest = name.slice(2);
      if (CATEGORIES.has(rest)) return `\\p{${rest}}`;
      const bin = BINARY[rest.toUpperCase()];
      if (bin) return bin;
      return scriptProperty(rest);
    }
    if (CATEGORIES.has(name)) return `\\p{${name}}`;
    if (name === 'LD') return '[\\p{L}\\p{Nd}]';
    if (name === 'L1') return '[\\x00-\\xFF]';
    if (name === 'all') return '[\\s\\S]';
    const posix = (unicode ? POSIX_UNICODE : POSIX)[name];
    if (posix) return posix;
    return JAVA_CHARACTER[name] ?? null;
  }

  private escapeOutside(): Node {
    const at = this.pos - 1;
    const c = this.raw();
    if (c < 0) this.error('Unexpected internal error', at);
    const cls = this.classEscape(c);
    if (cls !== null) return this.js(cls, true);
    const single = this.charEscape(c);
    if (single !== null) return this.literal(single);
    const ch = String.fromCodePoint(c);
    switch (ch) {
      case 'b':
        if (this.src[this.pos] === '{') this.error('\\b{g} is not supported', at);
        return this.js(this.boundary(false), false);
      case 'B': return this.js(this.boundary(true), false);
      case 'A': return this.js('(?<![\\s\\S])', false);
      case 'z': return this.js('(?![\\s\\S])', false);
      case 'Z': return this.js(this.dollar(false), false);
      case 'R': return this.js(`(?:\\r\\n|${VSPACE})`, true);
      case 'k': {
        if (this.src[this.pos] !== '<') this.error('\\k is not followed by \'<\' for named capturing group');
        this.pos++;
        const name = this.groupName();
        const index = this.names.get(name);
        if (index === undefined) this.error(`named capturing group <${name}> does not exist`);
        return this.backref(index);
      }
      case 'G': case 'X': case 'N':
        return this.error(`\\${ch} is not supported by Sluice's Java regex translation`, at);
      default:
        break;
    }
    if (c >= 0x31 && c <= 0x39) {
      // Java reads as many digits as still name an existing group
      let ref = c - 0x30;
      for (;;) {
        const d = this.src.charCodeAt(this.pos);
        if (!(d >= 0x30 && d <= 0x39)) break;
        const next = ref * 10 + (d - 0x30);
        if (this.groupCount < next) break;
        ref = next;
        this.pos++;
      }
      return this.backref(ref);
    }
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) this.error('Illegal/unsupported escape sequence', at + 1);
    return this.literal(c);
  }

  private backref(index: number): Node {
    if (this.has(CASE_INSENSITIVE)) this.caseInsensitiveBackref = true;
    return { kind: 'backref', index };
  }

  private boundary(negated: boolean): string {
    const w = this.has(UNICODE_CHARACTER_CLASS) ? UNICODE_WORD : '[\\p{L}\\p{Nd}_]';
    return negated
      ? `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))`
      : `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
  }

  // --- character classes -------------------------------------------------------------------------

  /** After '['. */
  private charClass(): ClassExpr {
    const open = this.pos - 1;
    let negated = false;
    if (this.peek() === 0x5e) { this.next(); negated = true; }
    const operands: ClassItem[][] = [];
    let current: ClassItem[] = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === -1) this.error('Unclosed character class', open);
      if (c === 0x5d /* ] */ && !first) { this.next(); break; }
      first = false;
      if (c === 0x5b /* [ */) {
        this.next();
        current.push({ kind: 'class', cls: this.charClass() });
        continue;
      }
      if (c === 0x26 /* & */ && this.src[this.pos + 1] === '&') {
        this.pos += 2;
        operands.push(current);
        current = [];
        continue;
      }
      this.next();
      let from: number;
      if (c === 0x5c) {
        const e = this.raw();
        const cls = this.classEscape(e);
        if (cls !== null) { current.push({ kind: 'js', js: cls }); continue; }
        const single = this.charEscape(e);
        if (single !== null) from = single;
        else if ((e >= 0x41 && e <= 0x5a) || (e >= 0x61 && e <= 0x7a) || (e >= 0x30 && e <= 0x39)) {
          this.error('Illegal/unsupported escape sequence');
        } else from = e;
      } else {
        from = c;
      }
      // a range?
      if (this.peek() === 0x2d /* - */) {
        const save = this.pos;
        this.next();
        const endc = this.peek();
        if (endc !== 0x5d && endc !== 0x5b && endc !== -1) {
          this.next();
          let to: number;
          if (endc === 0x5c) {
            const e = this.raw();
            const single = this.charEscape(e);
            if (single !== null) to = single;
            else if (/[A-Za-z0-9]/.test(String.fromCodePoint(e))) this.error('Illegal character range');
            else to = e;
          } else {
            to = endc;
          }
          if (to < from) this.error('Illegal character range');
          current.push({ kind: 'range', from, to });
          continue;
        }
        this.pos = save;
      }
      current.push({ kind: 'char', cp: from });
      if (caseVariants(from, true).length > 1 && !this.has(CASE_INSENSITIVE)) this.caseSensitiveLetters = true;
    }
    operands.push(current);
    return { negated, operands: operands.filter((o, i) => o.length > 0 || i === 0) };
  }
}

// ---------------------------------------------------------------------------------------------
// Emission (numbers the JS groups, including the helpers for atomic groups and possessive quantifiers)

function emit(root: Node, groupCount: number): { source: string; groupMap: number[] } {
  let jsGroups = 0;
  const groupMap: number[] = new Array(groupCount + 1).fill(0);
  const refs: string[] = [];
  const gen = (n: Node): string => {
    switch (n.kind) {
      case 'js': return n.js;
      case 'alt': return n.branches.map((b) => b.map(gen).join('')).join('|');
      case 'backref': {
        refs.push(String(n.index));
        return `\u0000${refs.length - 1}\u0000`;
      }
      case 'group':
        switch (n.type) {
          case 'capture': {
            const idx = ++jsGroups;
            groupMap[n.index!] = idx;
            return `(${n.name ? `?<${n.name}>` : ''}${gen(n.body)})`;
          }
          case 'plain': return `(?:${gen(n.body)})`;
          case 'atomic': {
            const idx = ++jsGroups;
            return `(?:(?=(${gen(n.body)}))\\${idx})`;
          }
          default: return `${n.type}${gen(n.body)})`;
        }
      case 'quant': {
        if (n.mode === '+') {
          const idx = ++jsGroups;
          return `(?:(?=(${quantifiable(n.atom)}${n.q}))\\${idx})`;
        }
        return `${quantifiable(n.atom)}${n.q}${n.mode}`;
      }
    }
  };
  const quantifiable = (atom: Node): string => {
    const s = gen(atom);
    if (atom.kind === 'js' && !atom.quantifiable) return `(?:${s})`;
    if (atom.kind === 'group' && atom.type !== 'capture' && atom.type !== 'plain') return `(?:${s})`;
    if (atom.kind === 'backref') return `(?:${s})`;
    return s;
  };
  let source = gen(root);
  // backreferences refer to the JS number of the Java group; one to a group that does not exist never matches
  source = source.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => {
    const js = groupMap[Number(refs[Number(i)])];
    return js ? `(?:\\${js})` : '(?!)';
  });
  return { source, groupMap };
}

// ---------------------------------------------------------------------------------------------

const cache = new Map<string, CompiledJavaRegex>();
const CACHE_SIZE = 1000;

/** Compiles a Java regex (cached per pattern). Throws JavaRegexSyntaxError for invalid patterns. */
export function compileJavaRegex(pattern: string): CompiledJavaRegex {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const t = new Translator(pattern, 0);
  const ast = t.parse();
  const { source, groupMap } = emit(ast, t.groupCount);
  const flags = t.caseInsensitiveBackref && !t.caseSensitiveLetters ? 'gvi' : 'gv';
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (e) {
    throw new JavaRegexSyntaxError(`Unsupported regular expression (${(e as Error).message})`, pattern, 0);
  }
  const compiled: CompiledJavaRegex = { pattern, regex, groupCount: t.groupCount, groupMap, namedGroups: t.names };
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(pattern, compiled);
  return compiled;
}

/** One match: Java group values by Java group number (null when the group did not participate). */
export interface JavaMatch {
  readonly start: number;
  readonly end: number;
  group(index: number): string | null;
}

/**
 * Matcher.find() in a loop: the next search starts where the last match ended, or one character later
 * after an empty match. Calls `onMatch` for each match; stops when it returns false.
 */
export function forEachMatch(re: CompiledJavaRegex, input: string, onMatch: (m: JavaMatch) => boolean | void): void {
  const regex = re.regex;
  let from = 0;
  while (from <= input.length) {
    regex.lastIndex = from;
    const m = regex.exec(input);
    if (m === null) return;
    const start = m.index;
    const end = start + m[0].length;
    const match: JavaMatch = {
      start,
      end,
      group: (i) => {
        if (!Number.isInteger(i) || i < 0 || i > re.groupCount) throw new KsqlException(`No group ${i}`);
        return m[i === 0 ? 0 : re.groupMap[i]!] ?? null;
      },
    };
    if (onMatch(match) === false) return;
    from = end === start ? end + 1 : end;
  }
}

type ReplacementPart = string | number;

/**
 * Parses a Java replacement string (Matcher.appendReplacement): `$n` (as many digits as still name a
 * group), `${name}`, `\x` for a literal x. Throws like Java for bad references.
 */
export function compileReplacement(re: CompiledJavaRegex, replacement: string): readonly ReplacementPart[] {
  const parts: ReplacementPart[] = [];
  let lit = '';
  let i = 0;
  while (i < replacement.length) {
    const c = replacement[i]!;
    if (c === '\\') {
      i++;
      if (i >= replacement.length) throw new KsqlException('character to be escaped is missing');
      lit += replacement[i];
      i++;
    } else if (c === '$') {
      i++;
      if (i >= replacement.length) throw new KsqlException('Illegal group reference: group index is missing');
      let ref: number;
      if (replacement[i] === '{') {
        i++;
        let name = '';
        while (i < replacement.length && /[a-zA-Z0-9]/.test(replacement[i]!)) name += replacement[i++];
        if (name.length === 0) throw new KsqlException('named capturing group has 0 length name');
        if (replacement[i] !== '}') throw new KsqlException("named capturing group is missing trailing '}'");
        i++;
        if (!/^[a-zA-Z]/.test(name)) throw new KsqlException('capturing group name {' + name + '} starts with digit character');
        const idx = re.namedGroups.get(name);
        if (idx === undefined) throw new KsqlException(`No group with name {${name}}`);
        ref = idx;
      } else {
        const d = replacement.charCodeAt(i) - 0x30;
        if (d < 0 || d > 9) throw new KsqlException('Illegal group reference');
        ref = d;
        i++;
        while (i < replacement.length) {
          const nd = replacement.charCodeAt(i) - 0x30;
          if (nd < 0 || nd > 9) break;
          const next = ref * 10 + nd;
          if (re.groupCount < next) break;
          ref = next;
          i++;
        }
        if (ref > re.groupCount) throw new KsqlException(`No group ${ref}`);
      }
      if (lit) { parts.push(lit); lit = ''; }
      parts.push(ref);
    } else {
      lit += c;
      i++;
    }
  }
  if (lit) parts.push(lit);
  return parts;
}

/** Matcher.replaceAll(replacement). */
export function javaReplaceAll(re: CompiledJavaRegex, input: string, replacement: string): string {
  const parts = compileReplacement(re, replacement);
  let out = '';
  let last = 0;
  forEachMatch(re, input, (m) => {
    out += input.slice(last, m.start);
    for (const p of parts) out += typeof p === 'string' ? p : (m.group(p) ?? '');
    last = m.end;
  });
  return out + input.slice(last);
}

/** Pattern.split(input) (limit 0): no leading empty string for a zero-width match at 0, trailing empties removed. */
export function javaSplit(re: CompiledJavaRegex, input: string): string[] {
  const out: string[] = [];
  let index = 0;
  let matched = false;
  forEachMatch(re, input, (m) => {
    if (index === 0 && m.start === 0 && m.start === m.end) return;
    out.push(input.slice(index, m.start));
    index = m.end;
    matched = true;
  });
  if (!matched) return [input];
  out.push(input.slice(index));
  let n = out.length;
  while (n > 0 && out[n - 1] === '') n--;
  return out.slice(0, n);
}

/** `pattern.matcher(input).matches()` for the empty input (used to pick the split strategy). */
export function matchesEmpty(re: CompiledJavaRegex): boolean {
  re.regex.lastIndex = 0;
  return re.regex.exec('') !== null;
}
