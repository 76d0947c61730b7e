// HAProxy's own responses: built-in messages, errorfiles and http-errors sections.
export * from './reply.js';
export * from './status.js';
export * from './errorfiles.js';
