/** Declarations of the URL functions (ksqlDB udf/url); implementations in url.ts. */
import { overload, scalar } from './declare.js';
import type { ScalarFunction } from './types.js';
import * as url from './url.js';

const CAT = 'URL';

export const urlFunctions: readonly ScalarFunction[] = [
  scalar('url_decode_param', { category: CAT, description: 'Decodes a previously encoded URL parameter.' }, [
    overload({ params: ['input: STRING'], returns: 'STRING', impl: url.urlDecodeParam }),
  ]),
  scalar('url_encode_param', { category: CAT, description: 'Escapes a value so that it can be placed in the query string of a URL.' }, [
    overload({ params: ['input: STRING'], returns: 'STRING', impl: url.urlEncodeParam }),
  ]),
  scalar('url_extract_fragment', { category: CAT, description: 'Extracts the fragment of a URL.' }, [
    overload({ params: ['input: STRING'], returns: 'STRING', impl: url.urlExtractFragment }),
  ]),
  scalar('url_extract_host', { category: CAT, description: 'Extracts the host-name of a URL.' }, [
    overload({ params: ['input: STRING'], returns: 'STRING', impl: url.urlExtractHost }),
  ]),
  scalar('url_extract_parameter', { category: CAT, description: 'Extracts the value of the requested parameter from the query-string of a URL.' }, [
    overload({ params: ['input: STRING', 'paramToFind: STRING'], returns: 'STRING', impl: url.urlExtractParameter }),
  ]),
  scalar('url_extract_path', { category: CAT, description: 'Extracts the path of a URL.' }, [
    overload({ params: ['input: STRING'], returns: 'STRING', impl: url.urlExtractPath }),
  ]),
  scalar('url_extract_port', { category: CAT, description: 'Extracts the port of a URL.' }, [
    overload({ params: ['input: STRING'], returns: 'INTEGER', impl: url.urlExtractPort }),
  ]),
  scalar('url_extract_protocol', { category: CAT, description: 'Extracts the protocol of a URL.' }, [
    overload({ params: ['input: STRING'], returns: 'STRING', impl: url.urlExtractProtocol }),
  ]),
  scalar('url_extract_query', { category: CAT, description: 'Extracts the query-string of a URL.' }, [
    overload({ params: ['input: STRING'], returns: 'STRING', impl: url.urlExtractQuery }),
  ]),
];

