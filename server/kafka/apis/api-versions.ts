/**
 * ApiVersions v0-3. v3 is flexible in its request and body but, uniquely, answers with response
 * header v0 (the connection adds no header tags for it). Versions above 3 are answered in v0 format
 * with UNSUPPORTED_VERSION and only the ApiVersions range, as Kafka does (KIP-511), so librdkafka
 * retries with a lower version instead of reconnecting.
 */
import { Writer, type Reader } from '../codec.js';
import type { Handler } from '../context.js';
import { ApiKey, ErrorCode, SUPPORTED } from '../protocol.js';

export function unsupportedApiVersionsResponse(): Writer {
  const range = SUPPORTED.get(ApiKey.ApiVersions)!;
  return new Writer().int16(ErrorCode.UNSUPPORTED_VERSION).array([range], (w) => w.int16(ApiKey.ApiVersions).int16(range.min).int16(range.max));
}

export const apiVersions: Handler = (r: Reader, h) => {
  if (h.apiVersion > 3) return unsupportedApiVersionsResponse();
  const w = new Writer();
  const entries = [...SUPPORTED.entries()];
  if (h.apiVersion >= 3) {
    // ClientSoftwareName, ClientSoftwareVersion, tags: informational; tolerate their absence
    try {
      r.compactString();
      r.compactString();
      r.skipTags();
    } catch {
      /* ignored */
    }
    w.int16(ErrorCode.NONE);
    w.compactArray(entries, (w2, [key, v]) => w2.int16(key).int16(v.min).int16(v.max).emptyTags());
    w.int32(0);
    w.emptyTags();
    return w;
  }
  w.int16(ErrorCode.NONE);
  w.array(entries, (w2, [key, v]) => w2.int16(key).int16(v.min).int16(v.max));
  if (h.apiVersion >= 1) w.int32(0);
  return w;
};
