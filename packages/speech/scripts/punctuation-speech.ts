/**
 * Spoken streams for the pause side of the punctuation model: the shared recordings with their reference
 * transcripts, and newstest2013 sentences read by flite (slt) as one programme, both recognised by
 * pocketsphinx. Each gives the recognised words, the pause after each word and the reference marks.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Transcript } from '../src/recognition/types.js';
import type { Recognizer } from '../src/recognition/types.js';
import { FliteEngine } from '../src/synthesis/flite.js';
import { punctuatedWords, type PunctuatedWords } from '../src/punctuation/corpus.js';
import { sentenceStream, sharedDataDir } from './punctuation-data.js';

export interface SpokenStream {
  name: string;
  reference: PunctuatedWords;
  words: string[];
  /** Silence after each word in seconds (null after the last). */
  pauses: (number | null)[];
}

export function timedWords(t: Pick<Transcript, 'segments'>): Pick<SpokenStream, 'words' | 'pauses'> {
  const ws = t.segments.flatMap((s) => s.words);
  return {
    words: ws.map((w) => w.word.toLowerCase()),
    pauses: ws.map((w, i) => (ws[i + 1] ? Math.max(0, ws[i + 1]!.start - w.end) : null)),
  };
}

export const speechDir = path.join(sharedDataDir, 'speech');

export async function readReferences(): Promise<Map<string, string>> {
  return new Map(
    (await readFile(path.join(speechDir, 'transcripts.tsv'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t') as [string, string]),
  );
}

export async function recordingStreams(
  ids: readonly string[],
  recognizer: Recognizer,
): Promise<SpokenStream[]> {
  const refs = await readReferences();
  const out: SpokenStream[] = [];
  for (const id of ids) {
    const t = await recognizer.transcribe(path.join(speechDir, `${id}.wav`));
    out.push({ name: id, reference: punctuatedWords(refs.get(id)!), ...timedWords(t) });
  }
  return out;
}

/** The sentences read by flite as one programme (a sentence a line, a headline given its full stop). */
export async function synthesizedStream(
  name: string,
  sentences: readonly string[],
  recognizer: Recognizer,
): Promise<SpokenStream> {
  const text = sentences.map((l) => (/[.!?]["'”’)]*$/.test(l.trim()) ? l.trim() : `${l.trim()}.`)).join('\n');
  const pcm = await new FliteEngine().render(text, 'flite/slt', { speed: 1 });
  const t = await recognizer.transcribe(pcm);
  return { name, reference: sentenceStream(sentences), ...timedWords(t) };
}
