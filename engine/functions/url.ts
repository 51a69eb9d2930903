/**
 * URL functions (ksqlDB udf/url) with java.net.URI / URLEncoder / URLDecoder semantics.
 *
 * Why hand-written: ksqlDB parses with `new URI(input)` (RFC 2396 plus Java's deviations), which differs
 * from WHATWG `URL` in ways users see: no scheme is fine ('www.confluent.io' is a path), hosts with '_'
 * are not hosts (registry-based authority, host NULL), spaces and '|' are syntax errors, the path/query/
 * fragment getters percent-decode as UTF-8 but leave '+' alone, and ports must be digits.
 * `parseJavaUri` is a port of java.net.URI.Parser.
 */
import { KsqlException } from '../errors/index.js';

export interface JavaUri {
  readonly scheme: string | null;
  readonly rawAuthority: string | null;
  readonly userInfo: string | null;
  readonly host: string | null;
  /** -1 when absent. */
  readonly port: number;
  readonly rawPath: string | null;
  readonly rawQuery: string | null;
  readonly rawFragment: string | null;
  readonly opaque: boolean;
}

export class UriSyntaxError extends Error {
  constructor(readonly reason: string, readonly input: string, readonly index: number) {
    super(`${reason} at index ${index}: ${input}`);
  }
}

// Character classes of RFC 2396 as java.net.URI defines them.
const DIGIT = '0123456789';
const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALPHANUM = ALPHA + DIGIT;
const HEX = DIGIT + 'abcdefABCDEF';
const MARK = "-_.!~*'()";
const UNRESERVED = ALPHANUM + MARK;
const RESERVED = ';/?:@&=+$,[]';

interface CharClass { readonly chars: Set<string>; readonly escaped: boolean }
const cls = (chars: string, escaped = false): CharClass => ({ chars: new Set(chars), escaped });

const C_SCHEME = cls(ALPHANUM + '+-.');
const C_URIC = cls(RESERVED + UNRESERVED, true);
const C_PATH = cls(UNRESERVED + ':@&=+$,' + ';/', true);
const C_USERINFO = cls(UNRESERVED + ';:&=+$,', true);
const C_REG_NAME = cls(UNRESERVED + '$,;:@&=+', true);
const C_SERVER = cls(UNRESERVED + ';:&=+$,' + ALPHANUM + '-' + '.:@[]', true);
const C_SERVER_PERCENT = cls(UNRESERVED + ';:&=+$,' + ALPHANUM + '-' + '.:@[]%', true);
const C_ALPHANUM = cls(ALPHANUM);
const C_ALPHANUM_DASH = cls(ALPHANUM + '-');
const C_DIGIT = cls(DIGIT);
const C_DIGIT_DOT = cls(DIGIT + '.');
const C_SCOPE_ID = cls(ALPHANUM + '_.');

class Parser {
  scheme: string | null = null;
  authority: string | null = null;
  userInfo: string | null = null;
  host: string | null = null;
  port = -1;
  path: string | null = null;
  query: string | null = null;
  fragment: string | null = null;
  opaque = false;

  constructor(private readonly input: string) {}

  private fail(reason: string, p: number): never {
    throw new UriSyntaxError(reason, this.input, p);
  }

  private failExpecting(expected: string, p: number): never {
    this.fail(`Expected ${expected}`, p);
  }

  private at(p: number, n: number, c: string): boolean {
    return p < n && this.input[p] === c;
  }

  /** First index in [start, end) of a char in `stop`, or -1 if a char in `err` comes first; `end` if none. */
  private scanFor(start: number, end: number, err: string, stop: string): number {
    for (let p = start; p < end; p++) {
      const c = this.input[p]!;
      if (err.includes(c)) return -1;
      if (stop.includes(c)) return p;
    }
    return end;
  }

  private scanChar(start: number, end: number, c: string): number {
    return start < end && this.input[start] === c ? start + 1 : start;
  }

  /** Scans chars of class `k` (with %XX escapes and visible non-ASCII when `k.escaped`). */
  private scan(start: number, end: number, k: CharClass): number {
    let p = start;
    while (p < end) {
      const c = this.input[p]!;
      if (k.chars.has(c)) { p++; continue; }
      if (k.escaped) {
        const q = this.scanEscape(p, end, c);
        if (q > p) { p = q; continue; }
      }
      break;
    }
    return p;
  }

  private scanEscape(start: number, n: number, c: string): number {
    if (c === '%') {
      if (start + 3 <= n && HEX.includes(this.input[start + 1]!) && HEX.includes(this.input[start + 2]!)) return start + 3;
      this.fail('Malformed escape pair', start);
    }
    const code = c.charCodeAt(0);
    if (code > 128 && !isSpaceChar(code) && !isIsoControl(code)) return start + 1;
    return start;
  }

  private checkChars(start: number, end: number, k: CharClass, what: string): void {
    const p = this.scan(start, end, k);
    if (p < end) this.fail(`Illegal character in ${what}`, p);
  }

  parse(): void {
    const input = this.input;
    const n = input.length;
    let p = this.scanFor(0, n, '/?#', ':');
    if (p >= 0 && this.at(p, n, ':')) {
      if (p === 0) this.failExpecting('scheme name', 0);
      if (!ALPHA.includes(input[0]!)) this.fail('Illegal character in scheme name', 0);
      this.checkChars(1, p, C_SCHEME, 'scheme name');
      this.scheme = input.slice(0, p);
      p++;
      if (this.at(p, n, '/')) {
        p = this.parseHierarchical(p, n);
      } else {
        const q = this.scanFor(p, n, '', '#');
        if (q <= p) this.failExpecting('scheme-specific part', p);
        this.checkChars(p, q, C_URIC, 'opaque part');
        this.opaque = true;
        p = q;
      }
    } else {
      p = this.parseHierarchical(0, n);
    }
    if (this.at(p, n, '#')) {
      this.checkChars(p + 1, n, C_URIC, 'fragment');
      this.fragment = input.slice(p + 1);
      p = n;
    }
    if (p < n) this.fail('Expected end of URI', p);
  }

  private parseHierarchical(start: number, n: number): number {
    let p = start;
    if (this.at(p, n, '/') && this.at(p + 1, n, '/')) {
      p += 2;
      const q = this.scanFor(p, n, '', '/?#');
      if (q > p) p = this.parseAuthority(p, q);
      else if (q >= n) this.failExpecting('authority', p);
    }
    let q = this.scanFor(p, n, '', '?#');
    this.checkChars(p, q, C_PATH, 'path');
    this.path = this.input.slice(p, q);
    p = q;
    if (this.at(p, n, '?')) {
      p++;
      q = this.scanFor(p, n, '', '#');
      this.checkChars(p, q, C_URIC, 'query');
      this.query = this.input.slice(p, q);
      p = q;
    }
    return p;
  }

  private parseAuthority(start: number, n: number): number {
    const p = start;
    let q = p;
    let error: UriSyntaxError | null = null;
    const serverChars = this.scanFor(p, n, '', ']') > p
      ? this.scan(p, n, C_SERVER_PERCENT) === n
      : this.scan(p, n, C_SERVER) === n;
    const regChars = this.scan(p, n, C_REG_NAME) === n;
    if (regChars && !serverChars) {
      this.authority = this.input.slice(p, n);
      return n;
    }
    if (serverChars) {
      try {
        q = this.parseServer(p, n);
        if (q < n) this.failExpecting('end of authority', q);
        this.authority = this.input.slice(p, n);
      } catch (e) {
        if (!(e instanceof UriSyntaxError)) throw e;
        this.userInfo = null;
        this.host = null;
        this.port = -1;
        error = e;
        q = p;
      }
    }
    if (q < n) {
      if (regChars) this.authority = this.input.slice(p, n);
      else if (error) throw error;
      else this.fail('Illegal character in authority', q);
    }
    return n;
  }

  private parseServer(start: number, n: number): number {
    let p = start;
    let q = this.scanFor(p, n, '/?#', '@');
    if (q >= p && this.at(q, n, '@')) {
      this.checkChars(p, q, C_USERINFO, 'user info');
      this.userInfo = this.input.slice(p, q);
      p = q + 1;
    }
    if (this.at(p, n, '[')) {
      p++;
      q = this.scanFor(p, n, '/?#', ']');
      if (q > p && this.at(q, n, ']')) {
        const r = this.scanFor(p, q, '', '%');
        if (r > p && r < q) {
          this.checkIPv6(p, r);
          if (r + 1 === q) this.fail('scope id expected', r);
          this.checkChars(r + 1, q, C_SCOPE_ID, 'scope id');
        } else {
          this.checkIPv6(p, q);
        }
        this.host = this.input.slice(p - 1, q + 1);
        p = q + 1;
      } else {
        this.failExpecting('closing bracket for IPv6 address', q);
      }
    } else {
      q = this.parseIPv4Address(p, n);
      if (q <= p) q = this.parseHostname(p, n);
      p = q;
    }
    if (this.at(p, n, ':')) {
      p++;
      q = this.scan(p, n, C_DIGIT);
      if (q > p) {
        const port = Number(this.input.slice(p, q));
        if (port > 2147483647) this.fail('Malformed port number', p);
        this.port = port;
        p = q;
      }
    }
    if (p < n) this.failExpecting('port number', p);
    return p;
  }

  private checkIPv6(start: number, end: number): void {
    const text = this.input.slice(start, end);
    const ipv4 = /(?:^|:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
    let hex = text;
    let groups = 8;
    if (ipv4) {
      if (ipv4[1]!.split('.').some((b) => Number(b) > 255)) this.fail('Malformed IPv4 address', start);
      hex = text.slice(0, text.length - ipv4[1]!.length);
      if (hex.endsWith(':') && !hex.endsWith('::')) hex = hex.slice(0, -1);
      groups = 6;
    }
    const ok = (part: string): boolean => part === '' || part.split(':').every((g) => /^[0-9a-fA-F]{1,4}$/.test(g));
    const halves = hex.split('::');
    if (halves.length > 2) this.fail('Malformed IPv6 address', start);
    if (halves.length === 2) {
      const count = (h: string): number => (h === '' ? 0 : h.split(':').length);
      if (!ok(halves[0]!) || !ok(halves[1]!) || count(halves[0]!) + count(halves[1]!) > groups - 1) this.fail('Malformed IPv6 address', start);
    } else if (hex === '' || !ok(hex) || hex.split(':').length !== groups) {
      this.fail('Malformed IPv6 address', start);
    }
  }

  private parseIPv4Address(start: number, n: number): number {
    let p: number;
    try {
      p = this.scanIPv4Address(start, n);
    } catch (e) {
      if (e instanceof UriSyntaxError) return -1;
      throw e;
    }
    if (p > start && p < n && this.input[p] !== ':') p = -1;
    if (p > start) this.host = this.input.slice(start, p);
    return p;
  }

  private scanIPv4Address(start: number, n: number): number {
    let p = start;
    const m = this.scan(p, n, C_DIGIT_DOT);
    if (m <= p) return -1;
    let q = p;
    for (let i = 0; i < 4; i++) {
      if (i > 0) {
        q = this.scanChar(p, m, '.');
        if (q <= p) break;
        p = q;
      }
      q = this.scanByte(p, m);
      if (q <= p) break;
      p = q;
      if (i === 3) {
        if (q < m) break;
        return q;
      }
    }
    this.fail('Malformed IPv4 address', q);
  }

  private scanByte(start: number, n: number): number {
    const q = this.scan(start, n, C_DIGIT);
    if (q <= start) return q;
    return Number(this.input.slice(start, q)) > 255 ? start : q;
  }

  private parseHostname(start: number, n: number): number {
    let p = start;
    let q: number;
    let l = -1;
    do {
      q = this.scan(p, n, C_ALPHANUM);
      if (q <= p) break;
      l = p;
      p = q;
      q = this.scan(p, n, C_ALPHANUM_DASH);
      if (q > p) {
        if (this.input[q - 1] === '-') this.fail('Illegal character in hostname', q - 1);
        p = q;
      }
      q = this.scanChar(p, n, '.');
      if (q <= p) break;
      p = q;
    } while (p < n);
    if (p < n && !this.at(p, n, ':')) this.fail('Illegal character in hostname', p);
    if (l < 0) this.failExpecting('hostname', start);
    if (l > start && !ALPHA.includes(this.input[l]!)) this.fail('Illegal character in hostname', l);
    this.host = this.input.slice(start, p);
    return p;
  }
}

function isSpaceChar(code: number): boolean {
  return /\p{Zs}|\p{Zl}|\p{Zp}/u.test(String.fromCharCode(code));
}

function isIsoControl(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/** `new URI(input)`; throws UriSyntaxError. */
export function parseJavaUri(input: string): JavaUri {
  const p = new Parser(input);
  p.parse();
  return {
    scheme: p.scheme,
    rawAuthority: p.authority,
    userInfo: p.userInfo,
    host: p.host,
    port: p.port,
    rawPath: p.opaque ? null : p.path,
    rawQuery: p.opaque ? null : p.query,
    rawFragment: p.fragment,
    opaque: p.opaque,
  };
}

/** java.net.URI's decode: runs of %XX become UTF-8 text (malformed bytes → U+FFFD); '+' stays. */
export function uriDecode(s: string | null): string | null {
  if (s === null || !s.includes('%')) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    if (s[i] !== '%') { out += s[i]; i++; continue; }
    const bytes: number[] = [];
    while (i < s.length && s[i] === '%') {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
    }
    out += Buffer.from(bytes).toString('utf8');
  }
  return out;
}

/** ksqlDB's UrlParser.extract: `new URI(input)` or "URL input has invalid syntax". */
function uri(input: string): JavaUri {
  try {
    return parseJavaUri(input);
  } catch (e) {
    if (e instanceof UriSyntaxError) throw new KsqlException(`URL input has invalid syntax: ${input}`, { cause: e });
    throw e;
  }
}

/** URL_EXTRACT_PROTOCOL: the scheme, or null. */
export function urlExtractProtocol(input: string): string | null {
  return uri(input).scheme;
}

/** URL_EXTRACT_HOST: the host (as written), or null (also for registry-based authorities like 'a_b.com'). */
export function urlExtractHost(input: string): string | null {
  return uri(input).host;
}

/** URL_EXTRACT_PORT: the port, or null when absent. */
export function urlExtractPort(input: string): number | null {
  const port = uri(input).port;
  return port === -1 ? null : port;
}

/** URL_EXTRACT_PATH: the decoded path ('' when empty), null for opaque URIs. */
export function urlExtractPath(input: string): string | null {
  return uriDecode(uri(input).rawPath);
}

/** URL_EXTRACT_QUERY: the decoded query string, or null. */
export function urlExtractQuery(input: string): string | null {
  return uriDecode(uri(input).rawQuery);
}

/** URL_EXTRACT_FRAGMENT: the decoded fragment, or null. */
export function urlExtractFragment(input: string): string | null {
  return uriDecode(uri(input).rawFragment);
}

/**
 * URL_EXTRACT_PARAMETER: the value of the first `name=value` pair of the decoded query whose name is
 * `param`; '' for a bare `name`; null when absent.
 */
export function urlExtractParameter(input: string, param: string): string | null {
  const query = urlExtractQuery(input);
  if (query === null) return null;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (eq < 0) {
      if (pair === param) return '';
    } else if (pair.slice(0, eq) === param) {
      return pair.slice(eq + 1);
    }
  }
  return null;
}

const URL_SAFE = /^[A-Za-z0-9.\-*_]*$/;

/** URL_ENCODE_PARAM: `URLEncoder.encode(s, UTF_8)` (space → '+', unreserved `.-*_`, %XX uppercase). */
export function urlEncodeParam(input: string): string {
  if (URL_SAFE.test(input)) return input;
  let out = '';
  for (const ch of input) {
    if (/[A-Za-z0-9.\-*_]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else {
      const lone = ch.length === 1 && ch.charCodeAt(0) >= 0xd800 && ch.charCodeAt(0) <= 0xdfff;
      for (const b of Buffer.from(lone ? '?' : ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/** URL_DECODE_PARAM: `URLDecoder.decode(s, UTF_8)` ('+' → space, %XX runs as UTF-8); throws on bad escapes. */
export function urlDecodeParam(input: string): string {
  if (!input.includes('%') && !input.includes('+')) return input;
  let out = '';
  let i = 0;
  const n = input.length;
  while (i < n) {
    const c = input[i]!;
    if (c === '+') { out += ' '; i++; continue; }
    if (c !== '%') { out += c; i++; continue; }
    const bytes: number[] = [];
    while (i + 2 < n && input[i] === '%') {
      const v = javaParseHexByte(input.slice(i + 1, i + 3));
      if (v < 0) throw new KsqlException('URLDecoder: Illegal hex characters in escape (%) pattern - negative value');
      bytes.push(v & 0xff);
      i += 3;
    }
    if (i < n && input[i] === '%') throw new KsqlException('URLDecoder: Incomplete trailing escape (%) pattern');
    out += Buffer.from(bytes).toString('utf8');
  }
  return out;
}

/** `Integer.parseInt(two chars, 16)`, which also takes a sign ('+F', '-1'). */
function javaParseHexByte(s: string): number {
  if (!/^[+-]?[0-9a-fA-F]+$/.test(s)) {
    throw new KsqlException(`URLDecoder: Illegal hex characters in escape (%) pattern - For input string: "${s}"`);
  }
  return parseInt(s, 16);
}
