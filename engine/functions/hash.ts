/** Hash functions (ksqlDB MD5). */
import { createHash } from 'node:crypto';
import { javaUtf8Bytes } from './bytes.js';

/** MD5(str): the lower-case hex MD5 digest of the string's UTF-8 bytes (commons-codec md5Hex). */
export function md5(str: string): string {
  return createHash('md5').update(javaUtf8Bytes(str)).digest('hex');
}
