export { decodeEntities, htmlToText } from './html.js';
