import { describe, expect, it } from 'vitest';
import * as url from '../../engine/functions/url.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import { SqlTypes } from '../../engine/types/sql-type.js';

const registry = createFunctionRegistry();
const call = (name: string, ...values: unknown[]): unknown =>
  registry.scalar(name)!.resolve(values.map(() => ({ kind: 'value', type: SqlTypes.STRING }))).invoke(...values);

describe('url.json', () => {
  it.each([
    ['%3Ffoo+%24bar', '?foo $bar'],
    ['hello%26world', 'hello&world'],
    ['nothing', 'nothing'],
  ])('decode a url parameter using DECODE_URL_PARAM: %s', (input, out) => {
    expect(call('URL_DECODE_PARAM', input)).toBe(out);
  });
  it.each([
    ['http://www.test.com/?query#fragment', 'fragment'],
    ['http://www.nofragment.com', null],
  ])('extract a fragment from a URL using URL_EXTRACT_FRAGMENT: %s', (input, out) => {
    expect(call('URL_EXTRACT_FRAGMENT', input)).toBe(out);
  });
  it('chain a call to URL_EXTRACT_PARAMETER with URL_DECODE_PARAM', () => {
    expect(call('URL_DECODE_PARAM', call('URL_EXTRACT_PARAMETER', 'http://www.test.com/?one=a&two=url%20encoded', 'two'))).toBe('url encoded');
  });
  it.each([
    ['http://test@confluent.io', null],
    ['http://test@confluent.io:8080/nested/path?query&jobs', 8080],
  ])('extract a port from a URL using URL_EXTRACT_PORT: %s', (input, out) => {
    expect(call('URL_EXTRACT_PORT', input)).toBe(out);
  });
  it.each([
    ['http://test@confluent.io', 'http'],
    ['https://test@confluent.io:8080/nested/path?query&jobs', 'https'],
    ['www.confluent.io', null],
  ])('extract a protocol from a URL using URL_EXTRACT_PROTOCOL: %s', (input, out) => {
    expect(call('URL_EXTRACT_PROTOCOL', input)).toBe(out);
  });
  it.each([
    ['http://www.test.com?query#fragment', 'query'],
    ['http://www.test.com/path?q1&q2', 'q1&q2'],
    ['http://test@confluent.io:8080/nested/path?q=2', 'q=2'],
    ['http://test@confluent.io:8080/path', null],
  ])('extract a query from a URL using URL_EXTRACT_QUERY: %s', (input, out) => {
    expect(call('URL_EXTRACT_QUERY', input)).toBe(out);
  });
});

describe('java.net.URI semantics', () => {
  it('extracts hosts', () => {
    expect(url.urlExtractHost('http://test@confluent.io:8080/a')).toBe('confluent.io');
    expect(url.urlExtractHost('http://192.168.0.1:80/')).toBe('192.168.0.1');
    expect(url.urlExtractHost('http://[::1]:80/')).toBe('[::1]');
    expect(url.urlExtractHost('http://my_host.com/')).toBeNull(); // '_' makes it a registry-based authority
    expect(url.urlExtractHost('http://1.2.3/')).toBeNull();
    expect(url.urlExtractHost('mailto:a@b.com')).toBeNull();
    expect(url.urlExtractHost('www.confluent.io')).toBeNull();
    expect(call('URL_EXTRACT_HOST', null)).toBeNull();
  });
  it('decodes paths, queries and fragments but keeps "+"', () => {
    expect(url.urlExtractPath('http://h.com/a%20b/c+d?x')).toBe('/a b/c+d');
    expect(url.urlExtractPath('http://h.com?q')).toBe('');
    expect(url.urlExtractPath('www.confluent.io/x')).toBe('www.confluent.io/x');
    expect(url.urlExtractPath('mailto:a@b.com')).toBeNull();
    expect(url.urlExtractQuery('http://h.com/?a=%C3%A9')).toBe('a=é');
    expect(url.urlExtractFragment('http://h.com/#a%2Fb')).toBe('a/b');
  });
  it('extracts parameters from the decoded query', () => {
    const u = 'http://h.com/p?a=1&b&c=x=y&a=2&query%20one=test';
    expect(url.urlExtractParameter(u, 'a')).toBe('1');
    expect(url.urlExtractParameter(u, 'b')).toBe('');
    expect(url.urlExtractParameter(u, 'c')).toBe('x=y');
    expect(url.urlExtractParameter(u, 'query one')).toBe('test');
    expect(url.urlExtractParameter(u, 'z')).toBeNull();
    expect(url.urlExtractParameter('http://h.com/p', 'a')).toBeNull();
  });
  it('ports', () => {
    expect(url.urlExtractPort('http://h.com:/x')).toBeNull();
    expect(url.urlExtractPort('http://h.com:65536')).toBe(65536);
    // not a server authority, but a valid registry-based one: no host, no port
    expect(url.urlExtractPort('http://h.com:80a/x')).toBeNull();
    expect(url.urlExtractHost('http://h.com:80a/x')).toBeNull();
    expect(() => url.urlExtractPort('http://h.com:80/a b')).toThrow('URL input has invalid syntax: http://h.com:80/a b');
  });
  it('throws for what java.net.URI rejects', () => {
    for (const bad of ['http://h.com/a b', 'http://h.com/%zz', 'http://', '://x', 'http://h.com/a|b', 'ht tp://x', '1http://x']) {
      expect(() => url.parseJavaUri(bad), bad).toThrow(url.UriSyntaxError);
    }
    expect(url.parseJavaUri('http://h.com/é').rawPath).toBe('/é');
  });
});

describe('URL_ENCODE_PARAM / URL_DECODE_PARAM', () => {
  it('encodes like URLEncoder', () => {
    expect(url.urlEncodeParam('?foo $bar')).toBe('%3Ffoo+%24bar');
    expect(url.urlEncodeParam('a.b-c*d_e~f')).toBe('a.b-c*d_e%7Ef');
    expect(url.urlEncodeParam('é😀')).toBe('%C3%A9%F0%9F%98%80');
    expect(url.urlEncodeParam('\ud800')).toBe('%3F');
  });
  it('decodes like URLDecoder', () => {
    expect(url.urlDecodeParam('%C3%A9+x')).toBe('é x');
    expect(url.urlDecodeParam('%+F')).toBe('\u000f');
    expect(() => url.urlDecodeParam('%zz')).toThrow(/Illegal hex characters/);
    expect(() => url.urlDecodeParam('abc%4')).toThrow(/Incomplete trailing escape/);
    expect(() => url.urlDecodeParam('%-1')).toThrow(/negative value/);
  });
});
