export { createLocalSource, sha256File, type LocalSourceOptions } from './local-source.js';
