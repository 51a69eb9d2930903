/** Declarations of the BYTES/encoding functions; implementations in bytes.ts. */
import { overload, scalar } from './declare.js';
import type { ScalarFunction } from './types.js';
import * as bytes from './bytes.js';

const CONVERSIONS = 'CONVERSIONS';

export const bytesFunctions: readonly ScalarFunction[] = [
  scalar('to_bytes', { category: CONVERSIONS, description: "Converts a STRING value in the specified encoding to BYTES. The accepted encoders are 'hex', 'utf8', 'ascii' and 'base64'." }, [
    overload({ params: ['value: STRING', 'encoding: STRING'], returns: 'BYTES', impl: bytes.toBytes }),
  ]),
  scalar('from_bytes', { category: CONVERSIONS, description: "Converts a BYTES value to STRING in the specified encoding. The accepted encoders are 'hex', 'utf8', 'ascii' and 'base64'." }, [
    overload({ params: ['value: BYTES', 'encoding: STRING'], returns: 'STRING', impl: bytes.fromBytes }),
  ]),
  scalar('encode', { category: 'STRING', description: 'Takes an input string s, which is encoded as input_encoding, and encodes it as output_encoding. The accepted input and output encodings are: hex, utf8, ascii and base64.' }, [
    overload({ params: ['str: STRING', 'inputEncoding: STRING', 'outputEncoding: STRING'], returns: 'STRING', impl: bytes.encode }),
  ]),
  scalar('int_from_bytes', { category: CONVERSIONS, description: 'Converts a BYTES value to an INTEGER value according to the specified byte order (BIG_ENDIAN by default).' }, [
    overload({ params: ['value: BYTES'], returns: 'INTEGER', impl: (b: Buffer) => bytes.intFromBytes(b) }),
    overload({ params: ['value: BYTES', 'byteOrder: STRING'], returns: 'INTEGER', impl: bytes.intFromBytes }),
  ]),
  scalar('bigint_from_bytes', { category: CONVERSIONS, description: 'Converts a BYTES value to a BIGINT value according to the specified byte order (BIG_ENDIAN by default).' }, [
    overload({ params: ['value: BYTES'], returns: 'BIGINT', impl: (b: Buffer) => bytes.bigintFromBytes(b) }),
    overload({ params: ['value: BYTES', 'byteOrder: STRING'], returns: 'BIGINT', impl: bytes.bigintFromBytes }),
  ]),
  scalar('double_from_bytes', { category: CONVERSIONS, description: 'Converts a BYTES value to a DOUBLE value according to the specified byte order (BIG_ENDIAN by default).' }, [
    overload({ params: ['value: BYTES'], returns: 'DOUBLE', impl: (b: Buffer) => bytes.doubleFromBytes(b) }),
    overload({ params: ['value: BYTES', 'byteOrder: STRING'], returns: 'DOUBLE', impl: bytes.doubleFromBytes }),
  ]),
];

