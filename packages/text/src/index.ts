export { decodeEntities, htmlToText } from './html.js';
export { wordDiff, type DiffPart } from './diff.js';
