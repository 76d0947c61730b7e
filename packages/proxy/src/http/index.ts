// The HTTP/1.x codec of `haplo run`: strict head parsers, the chunked coding, and the head writer.
export type { BodyFraming, HeadLimits, HeadProgress, HeadResult, RequestHead, ResponseHead } from './types.js';
export { parseRequestHead } from './request-head.js';
export { parseResponseHead } from './response-head.js';
export { ChunkedDecoder, CRLF, MAX_CHUNK_SIZE, chunkSizeLine, encodeChunk, encodeLastChunk } from './chunked.js';
export type { ChunkedLimits, ChunkedResult } from './chunked.js';
export { serializeRequestHead, serializeResponseHead } from './serialize.js';
export type { HopByHopMode, RequestSerializeOptions, ResponseSerializeOptions, SerializeOptions } from './serialize.js';
export { validateField } from './serialize-checks.js';
export { MAX_BODY_LENGTH } from './head-facts.js';
