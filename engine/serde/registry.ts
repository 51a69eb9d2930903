/**
 * Format registry (DESIGN.md style 7): one `FormatImpl` per format, one file per format. To add a
 * format, implement `FormatImpl` in its own file and register it in `formats.ts`.
 */
import type { FormatImpl, FormatName } from './types.js';

const formats = new Map<FormatName, FormatImpl>();

export function registerFormat(impl: FormatImpl): void {
  formats.set(impl.name, impl);
}

export function getFormat(name: FormatName): FormatImpl | undefined {
  return formats.get(name);
}

export function registeredFormats(): readonly FormatName[] {
  return [...formats.keys()];
}
