// The HTTP/1.x codec of `haplo run`: strict head parsers and the chunked coding (the heads it
// writes come from @haplo/sim's forwarded-head.ts, shared with `haplo sim`).
export type { BodyFraming, HeadLimits, HeadProgress, HeadResult, RequestHead, ResponseHead } from './types.js';
export { parseRequestHead } from './request-head.js';
export { parseResponseHead } from './response-head.js';
export { ChunkedDecoder, CRLF, MAX_CHUNK_SIZE, chunkSizeLine, encodeChunk, encodeLastChunk } from './chunked.js';
export type { ChunkedLimits, ChunkedResult } from './chunked.js';
export { validateField } from './serialize-checks.js';
export { MAX_BODY_LENGTH } from './head-facts.js';
