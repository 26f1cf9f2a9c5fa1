import { readFile } from 'node:fs/promises';
import { SpeechError } from '../errors.js';
import { buildModel, type NgramModel } from './model.js';

/**
 * Reader for the sphinxbase "Trie Language Model" binary (pocketsphinx's en-us.lm.bin), written from the file
 * layout: header, order, counts, quantisation tables, unigrams, bit-packed middle and longest arrays, words.
 *
 * Debian's sphinx_lm_convert aborts when it writes this model as ARPA (its header counts disagree with the trie),
 * so this reader is how the general model reaches ARPA. The trie is stored suffix-first (the predicted word at
 * the top), as KenLM does; n-grams are turned around on the way out.
 */
const MAGIC = 'Trie Language Model';
/** Probabilities inside are logs in base 1.0001 (sphinxbase's default logmath). */
const LOG10_OF_BASE = Math.log10(1.0001);
const QUANT_BITS = 16;

function requiredBits(max: number): number {
  let bits = 0;
  while (max > 0) {
    bits++;
    max = Math.floor(max / 2);
  }
  return bits;
}

export async function readTrieBinary(file: string): Promise<NgramModel> {
  const buf = await readFile(file);
  return parseTrieBinary(buf);
}

export function isTrieBinary(head: Uint8Array): boolean {
  return (
    Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, MAGIC.length)).toString('latin1') ===
    MAGIC
  );
}

export function parseTrieBinary(buf: Buffer): NgramModel {
  if (!isTrieBinary(buf)) throw new SpeechError('INVALID_INPUT', 'Not a sphinx trie language model');
  let pos = MAGIC.length;
  const order = buf.readUInt8(pos);
  pos += 1;
  if (order < 1 || order > 3)
    throw new SpeechError('INVALID_INPUT', `Trie LM of order ${order} is not supported (1-3)`);
  const headerCounts: number[] = [];
  for (let i = 0; i < order; i++, pos += 4) headerCounts.push(buf.readUInt32LE(pos));
  const V = headerCounts[0];

  let quant = new Float32Array(0);
  if (order > 1) {
    pos += 4; // unused int
    const tables = (order - 2) * 2 + 1;
    quant = new Float32Array(tables << QUANT_BITS);
    for (let i = 0; i < quant.length; i++, pos += 4) quant[i] = buf.readFloatLE(pos) * LOG10_OF_BASE;
  }
  const p1 = new Float32Array(V);
  const b1 = new Float32Array(V);
  const uNext = new Uint32Array(V + 1);
  for (let i = 0; i <= V; i++, pos += 12) {
    if (i < V) {
      p1[i] = buf.readFloatLE(pos) * LOG10_OF_BASE;
      b1[i] = buf.readFloatLE(pos + 4) * LOG10_OF_BASE;
    }
    uNext[i] = buf.readUInt32LE(pos + 8);
  }

  const wordBits = requiredBits(V);
  const read = (base: number, bitOffset: number, bits: number): number => {
    const at = base + (bitOffset >>> 3);
    const v = (buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16) | (buf[at + 3] << 24)) >>> 0;
    return (v >>> (bitOffset & 7)) & (bits >= 32 ? 0xffffffff : (1 << bits) - 1);
  };

  let middleBase = 0;
  let middleTotal = 0;
  let nextBits = 0;
  let longestBase = 0;
  const longestTotal = wordBits + QUANT_BITS;
  if (order === 3) {
    nextBits = requiredBits(headerCounts[2]);
    middleTotal = wordBits + 2 * QUANT_BITS + nextBits;
    middleBase = pos;
    pos += Math.floor(((1 + headerCounts[1]) * middleTotal + 7) / 8) + 8;
    longestBase = pos;
    pos += Math.floor(((1 + headerCounts[2]) * longestTotal + 7) / 8) + 8;
  } else if (order === 2) {
    longestBase = pos;
    pos += Math.floor(((1 + headerCounts[1]) * longestTotal + 7) / 8) + 8;
  }
  const strBytes = buf.readInt32LE(pos);
  pos += 4;
  const vocab = buf
    .toString('latin1', pos, pos + strBytes)
    .split('\0')
    .slice(0, V);
  if (vocab.length !== V)
    throw new SpeechError('INVALID_INPUT', `Trie LM word list holds ${vocab.length} of ${V} words`);

  // The bigram level is a "middle" array (order 3) or the "longest" one (order 2).
  const nBigrams = uNext[V];
  const nTrigrams =
    order === 3 ? read(middleBase, nBigrams * middleTotal + wordBits + 2 * QUANT_BITS, nextBits) : 0;
  const bi = {
    h: new Uint32Array(nBigrams),
    w: new Uint32Array(nBigrams),
    p: new Float32Array(nBigrams),
    b: new Float32Array(nBigrams),
    length: nBigrams,
  };
  const tri = {
    h1: new Uint32Array(nTrigrams),
    h2: new Uint32Array(nTrigrams),
    w: new Uint32Array(nTrigrams),
    p: new Float32Array(nTrigrams),
    length: nTrigrams,
  };
  const probTable2 = 0;
  const boTable2 = 1 << QUANT_BITS;
  const longestTable = ((order - 2) * 2) << QUANT_BITS;
  for (let u = 0; u < V; u++) {
    for (let m = uNext[u]; m < uNext[u + 1]; m++) {
      if (order === 3) {
        const off = m * middleTotal;
        const x = read(middleBase, off, wordBits);
        bi.h[m] = x;
        bi.w[m] = u;
        bi.b[m] = quant[boTable2 + read(middleBase, off + wordBits, QUANT_BITS)];
        bi.p[m] = quant[probTable2 + read(middleBase, off + wordBits + QUANT_BITS, QUANT_BITS)];
        const from = read(middleBase, off + wordBits + 2 * QUANT_BITS, nextBits);
        const to = read(middleBase, (m + 1) * middleTotal + wordBits + 2 * QUANT_BITS, nextBits);
        for (let l = from; l < to; l++) {
          const loff = l * longestTotal;
          tri.h1[l] = read(longestBase, loff, wordBits);
          tri.h2[l] = x;
          tri.w[l] = u;
          tri.p[l] = quant[longestTable + read(longestBase, loff + wordBits, QUANT_BITS)];
        }
      } else {
        const off = m * longestTotal;
        bi.h[m] = read(longestBase, off, wordBits);
        bi.w[m] = u;
        bi.p[m] = quant[longestTable + read(longestBase, off + wordBits, QUANT_BITS)];
        bi.b[m] = 0;
      }
    }
  }
  return buildModel({ vocab, p1, b1, bi, tri }).model;
}
