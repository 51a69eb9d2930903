/** Windowed record keys: one place that chooses between the time-window and session-window layouts. */
import type { WindowType } from '../catalog/source.js';
import {
  deserializeSessionWindowedKey, deserializeWindowedKey, serializeSessionWindowedKey, serializeWindowedKey,
} from '../serde/index.js';
import type { WindowBounds } from './record.js';

export function encodeWindowedKey(inner: Buffer | null, window: WindowBounds, type: WindowType): Buffer {
  return type === 'SESSION' ? serializeSessionWindowedKey(inner, window.start, window.end) : serializeWindowedKey(inner, window.start);
}

/** Time windows derive the end from the size (Kafka Streams does the same). */
export function decodeWindowedKey(bytes: Buffer, type: WindowType, sizeMs: number | undefined): { inner: Buffer } & WindowBounds {
  if (type === 'SESSION') return deserializeSessionWindowedKey(bytes);
  const w = deserializeWindowedKey(bytes, sizeMs);
  return { inner: w.inner, start: w.start, end: w.end ?? w.start + (sizeMs ?? 0) };
}
