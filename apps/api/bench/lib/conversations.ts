// Two-speaker conversations for bench:diarization, assembled from the shared speech and from flite voices
// reading the shared news sentences. Deterministic: every run builds the same recordings.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  assembleConversation,
  decodeAudio,
  LocalSynthesizer,
  splitPhrases,
  type Conversation,
  type Pcm,
  type Utterance,
} from '@media-ai/speech';

export interface NamedConversation extends Conversation {
  name: string;
  /** What was said, in order (the references of the utterances used), for WER; null when unknown. */
  reference: string | null;
}

/** Pauses between turns: mostly short, some long, and some under the 0.15 s the pause split needs. */
const PAUSES = [0.6, 0.1, 1.0, 0.3, 0.12, 0.8, 0.4, 0.1];

function tsv(file: string): Array<[string, string]> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((f) => f.length >= 2 && f[0]!.trim())
    .map((f) => [f[0]!.trim(), f.slice(1).join('\t').trim()]);
}

/** Alternates the two speakers' phrases (A B A B …) until one runs out, then adds what is left of the other. */
function interleave(a: Utterance[], b: Utterance[]): Utterance[] {
  const out: Utterance[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i]) out.push(a[i]!);
    if (b[i]) out.push(b[i]!);
  }
  return out;
}

const phrases = (speaker: string, pcm: Pcm): Utterance[] =>
  splitPhrases(pcm).map((p) => ({ speaker, pcm: p }));

export const FLITE_VOICES = ['awb', 'rms', 'slt', 'kal16'] as const;

/**
 * Synthesized conversations: each pair of flite voices reads `sentenceIds` of tts_sentences.tsv, the two
 * voices taking alternate sentences, each sentence cut into phrases at its pauses.
 */
export async function syntheticConversations(
  speechDir: string,
  sentenceIds: string[],
  tag: string,
): Promise<NamedConversation[]> {
  const sentences = new Map(tsv(path.join(speechDir, 'tts_sentences.tsv')));
  const tts = new LocalSynthesizer();
  const audio = new Map<string, Pcm>();
  for (const voice of FLITE_VOICES)
    for (const id of sentenceIds) {
      const r = await tts.synthesize(sentences.get(id)!, { voice: `flite/${voice}`, format: 'wav' });
      audio.set(`${voice}/${id}`, (await decodeAudio(r.audio)).pcm);
    }
  const out: NamedConversation[] = [];
  for (let i = 0; i < FLITE_VOICES.length; i++)
    for (let j = i + 1; j < FLITE_VOICES.length; j++) {
      const [va, vb] = [FLITE_VOICES[i]!, FLITE_VOICES[j]!];
      const utterances: Utterance[] = [];
      const said: string[] = [];
      sentenceIds.forEach((id, k) => {
        const voice = k % 2 === 0 ? va : vb;
        utterances.push(...phrases(voice, audio.get(`${voice}/${id}`)!));
        said.push(sentences.get(id)!);
      });
      // Sentence k+1 starts right after sentence k's last phrase: the turn changes at the chosen pause.
      out.push({
        name: `${tag} ${va}+${vb}`,
        reference: said.join(' '),
        ...assembleConversation(utterances, PAUSES),
      });
    }
  return out;
}

/** A single voice reading `sentenceIds` (a recording with one speaker, which must stay one). */
export async function syntheticMonologue(
  speechDir: string,
  sentenceIds: string[],
  voice: string,
  tag: string,
): Promise<NamedConversation> {
  const sentences = new Map(tsv(path.join(speechDir, 'tts_sentences.tsv')));
  const tts = new LocalSynthesizer();
  const utterances: Utterance[] = [];
  for (const id of sentenceIds) {
    const r = await tts.synthesize(sentences.get(id)!, { voice: `flite/${voice}`, format: 'wav' });
    utterances.push(...phrases(voice, (await decodeAudio(r.audio)).pcm));
  }
  return {
    name: `${tag} ${voice} alone`,
    reference: sentenceIds.map((id) => sentences.get(id)!).join(' '),
    ...assembleConversation(utterances, PAUSES),
  };
}

/**
 * Conversations of the real recordings (three speakers: jfk, ldc93s1, LJ), cut into phrases at their
 * pauses. The tuning part uses JFK's first two phrases and LJ001-0001/0002; the held-out part JFK's last
 * two, LJ001-0003/0004 and LDC93S1 (a speaker the tuning never heard).
 */
export async function realConversations(
  speechDir: string,
  part: 'tune' | 'held',
): Promise<NamedConversation[]> {
  const refs = new Map(tsv(path.join(speechDir, 'transcripts.tsv')));
  const load = async (id: string) => (await decodeAudio(path.join(speechDir, `${id}.wav`))).pcm;
  const jfkAll = phrases('jfk', await load('jfk'));
  const ljIds = part === 'tune' ? ['lj_LJ001-0001', 'lj_LJ001-0002'] : ['lj_LJ001-0003', 'lj_LJ001-0004'];
  const lj: Utterance[] = [];
  for (const id of ljIds) lj.push(...phrases('lj', await load(id)));
  const said = (ids: string[]) => ids.map((id) => refs.get(id)!).join(' ');
  const jfk = part === 'tune' ? jfkAll.slice(0, 2) : jfkAll.slice(2);
  const conv = (name: string, utterances: Utterance[], reference: string | null): NamedConversation => ({
    name: `${part} real ${name}`,
    reference,
    ...assembleConversation(utterances, PAUSES),
  });
  const out = [conv('jfk+lj', interleave(jfk, lj), null), conv('lj alone', lj, said(ljIds))];
  if (part === 'held') {
    const ldc = phrases('ldc', await load('ldc93s1'));
    out.push(conv('ldc+lj', interleave(ldc, lj.slice(0, 3)), null));
    out.push(conv('ldc+jfk', interleave(jfk.slice(0, 1), [...ldc, ...jfk.slice(1)]), null));
  }
  return out;
}
