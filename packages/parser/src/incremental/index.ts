// Incremental analysis of one document, for the editor: see incremental-document.ts.
export { IncrementalDocument, type IncrementalAnalysis } from './incremental-document.js';
