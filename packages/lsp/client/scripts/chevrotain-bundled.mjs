// Stands in for @haplo/parser's grammar/chevrotain-runtime.js inside the bundle: that module
// finds chevrotain.min.mjs next to the installed package at run time, which a bundle has not;
// here esbuild inlines the same single-file build of chevrotain (alias in bundle.mjs).
import * as chevrotain from 'chevrotain';

export { chevrotain };
