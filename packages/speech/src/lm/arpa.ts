import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { SpeechError } from '../errors.js';
import { buildModel, counts, LOG_ZERO, type NgramModel, type RawNgrams } from './model.js';

function fmt(x: number): string {
  if (!Number.isFinite(x) || x <= LOG_ZERO) return String(LOG_ZERO);
  const s = x.toFixed(6);
  return s === '-0.000000' ? '0.000000' : s;
}

/** Writes the model as an ARPA file (the text format every LM tool and pocketsphinx reads). */
export async function writeArpa(
  model: NgramModel,
  file: string,
  comments: readonly string[] = [],
): Promise<void> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  const errored = new Promise<never>((_resolve, reject) => out.once('error', reject));
  let buffer: string[] = [];
  const flush = async () => {
    if (buffer.length === 0) return;
    const ok = out.write(buffer.join('\n') + '\n');
    buffer = [];
    if (!ok) await Promise.race([once(out, 'drain'), errored]);
  };
  const line = async (s: string) => {
    buffer.push(s);
    if (buffer.length >= 20_000) await flush();
  };

  for (const c of comments) await line(`# ${c.replace(/\n/g, ' ')}`);
  const n = counts(model);
  await line('');
  await line('\\data\\');
  for (let i = 0; i < n.length; i++) await line(`ngram ${i + 1}=${n[i]}`);
  const { vocab, order } = model;

  await line('');
  await line('\\1-grams:');
  for (let w = 0; w < vocab.length; w++) {
    await line(
      order > 1
        ? `${fmt(model.p1[w])}\t${vocab[w]}\t${fmt(model.b1[w])}`
        : `${fmt(model.p1[w])}\t${vocab[w]}`,
    );
  }
  if (order >= 2) {
    await line('');
    await line('\\2-grams:');
    for (let h = 0; h < vocab.length; h++) {
      for (let b = model.next1[h]; b < model.next1[h + 1]; b++) {
        const words = `${vocab[h]} ${vocab[model.w2[b]]}`;
        await line(
          order > 2 ? `${fmt(model.p2[b])}\t${words}\t${fmt(model.b2[b])}` : `${fmt(model.p2[b])}\t${words}`,
        );
      }
    }
  }
  if (order >= 3) {
    await line('');
    await line('\\3-grams:');
    for (let h = 0; h < vocab.length; h++) {
      for (let b = model.next1[h]; b < model.next1[h + 1]; b++) {
        const prefix = `${vocab[h]} ${vocab[model.w2[b]]}`;
        for (let t = model.next2[b]; t < model.next2[b + 1]; t++) {
          await line(`${fmt(model.p3[t])}\t${prefix} ${vocab[model.w3[t]]}`);
        }
      }
    }
  }
  await line('');
  await line('\\end\\');
  await flush();
  out.end();
  await Promise.race([once(out, 'finish'), errored]);
}

/** Reads an ARPA file of order 1-3. */
export async function readArpa(file: string): Promise<NgramModel> {
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  const declared: number[] = [];
  let section = 0; // 0 header, -1 data, n = n-grams
  const index = new Map<string, number>();
  const vocab: string[] = [];
  let p1 = new Float32Array(0);
  let b1 = new Float32Array(0);
  let raw: RawNgrams | undefined;
  let n2 = 0;
  let n3 = 0;
  const id = (w: string, lineNo: number): number => {
    const i = index.get(w);
    if (i === undefined) throw new SpeechError('INVALID_INPUT', `${file}:${lineNo}: "${w}" is not a unigram`);
    return i;
  };
  let lineNo = 0;
  for await (const rawLine of rl) {
    lineNo++;
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line === '\\data\\') {
      section = -1;
      continue;
    }
    if (line === '\\end\\') break;
    const header = /^\\(\d)-grams:$/.exec(line);
    if (header) {
      section = Number(header[1]);
      if (section > 3) throw new SpeechError('INVALID_INPUT', `${file}: only orders up to 3 are supported`);
      if (section === 1) {
        p1 = new Float32Array(declared[0] ?? 0);
        b1 = new Float32Array(declared[0] ?? 0);
      }
      if (section === 2) {
        raw = {
          vocab,
          p1,
          b1,
          bi: {
            h: new Uint32Array(declared[1] ?? 0),
            w: new Uint32Array(declared[1] ?? 0),
            p: new Float32Array(declared[1] ?? 0),
            b: new Float32Array(declared[1] ?? 0),
            length: 0,
          },
          tri: {
            h1: new Uint32Array(declared[2] ?? 0),
            h2: new Uint32Array(declared[2] ?? 0),
            w: new Uint32Array(declared[2] ?? 0),
            p: new Float32Array(declared[2] ?? 0),
            length: 0,
          },
        };
      }
      continue;
    }
    if (section === -1) {
      const m = /^ngram (\d)=(\d+)$/.exec(line);
      if (m) declared[Number(m[1]) - 1] = Number(m[2]);
      continue;
    }
    if (section === 0) continue;
    const f = line.split(/\s+/);
    const prob = Number(f[0]);
    if (section === 1) {
      const i = vocab.length;
      if (i >= p1.length) throw new SpeechError('INVALID_INPUT', `${file}: more unigrams than declared`);
      vocab.push(f[1]);
      index.set(f[1], i);
      p1[i] = prob;
      b1[i] = f.length > 2 ? Number(f[2]) : 0;
    } else if (section === 2 && raw) {
      if (n2 >= raw.bi.h.length)
        throw new SpeechError('INVALID_INPUT', `${file}: more bigrams than declared`);
      raw.bi.h[n2] = id(f[1], lineNo);
      raw.bi.w[n2] = id(f[2], lineNo);
      raw.bi.p[n2] = prob;
      raw.bi.b[n2] = f.length > 3 ? Number(f[3]) : 0;
      n2++;
    } else if (section === 3 && raw) {
      if (n3 >= raw.tri.h1.length)
        throw new SpeechError('INVALID_INPUT', `${file}: more trigrams than declared`);
      raw.tri.h1[n3] = id(f[1], lineNo);
      raw.tri.h2[n3] = id(f[2], lineNo);
      raw.tri.w[n3] = id(f[3], lineNo);
      raw.tri.p[n3] = prob;
      n3++;
    }
  }
  if (vocab.length === 0) throw new SpeechError('INVALID_INPUT', `${file} is not an ARPA language model`);
  if (!raw) {
    return buildModel({
      vocab,
      p1,
      b1,
      bi: {
        h: new Uint32Array(0),
        w: new Uint32Array(0),
        p: new Float32Array(0),
        b: new Float32Array(0),
        length: 0,
      },
      tri: {
        h1: new Uint32Array(0),
        h2: new Uint32Array(0),
        w: new Uint32Array(0),
        p: new Float32Array(0),
        length: 0,
      },
    }).model;
  }
  raw.bi.length = n2;
  raw.tri.length = n3;
  raw.bi = {
    ...raw.bi,
    h: raw.bi.h.subarray(0, n2),
    w: raw.bi.w.subarray(0, n2),
    p: raw.bi.p.subarray(0, n2),
    b: raw.bi.b.subarray(0, n2),
  };
  raw.tri = {
    ...raw.tri,
    h1: raw.tri.h1.subarray(0, n3),
    h2: raw.tri.h2.subarray(0, n3),
    w: raw.tri.w.subarray(0, n3),
    p: raw.tri.p.subarray(0, n3),
  };
  return buildModel(raw).model;
}
