import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyTranscriptEdit,
  assembleConversation,
  assignSpeakers,
  decodeAudio,
  diarizationErrorRate,
  diarize,
  LocalSynthesizer,
  matchVoices,
  splitPhrases,
  toPlainText,
  toSrt,
  toWebVtt,
  voiceDistance,
  type Conversation,
  type Pcm,
  type SpeakerTurn,
  type TranscriptSegment,
  type Utterance,
} from '../src/index.js';
import { transcriptText } from '../src/recognition/transcript.js';
import { hasSpeechData, reportSkip, speechDataDir } from './helpers.js';

/** Every true speaker change has a found change within `tolerance` seconds. */
function changesFound(truth: SpeakerTurn[], found: SpeakerTurn[], tolerance: number): boolean {
  const changes = (turns: SpeakerTurn[]) =>
    turns
      .slice(1)
      .flatMap((t, i) => (t.speaker !== turns[i]!.speaker ? [(turns[i]!.end + t.start) / 2] : []));
  const got = changes(found);
  return changes(truth).every((c) => got.some((g) => Math.abs(g - c) <= tolerance));
}

describe('diarization error rate', () => {
  const ref: SpeakerTurn[] = [
    { start: 0, end: 10, speaker: 'a' },
    { start: 10, end: 20, speaker: 'b' },
  ];

  it('is 0 for a perfect answer under any speaker names, and counts confusion, misses and false alarms', () => {
    expect(
      diarizationErrorRate(ref, [
        { start: 0, end: 10, speaker: 'S2' },
        { start: 10, end: 20, speaker: 'S1' },
      ]).der,
    ).toBe(0);
    // One speaker for everything: half the speech is confused (less the collars around the change).
    const one = diarizationErrorRate(ref, [{ start: 0, end: 20, speaker: 'S1' }]);
    expect(one.confusionSec).toBeCloseTo(9.5, 1);
    expect(one.der).toBeCloseTo(0.5, 2);
    const missed = diarizationErrorRate(ref, [{ start: 0, end: 10, speaker: 'S1' }]);
    expect(missed.missedSec).toBeCloseTo(9.5, 1);
    const extra = diarizationErrorRate(ref, [...ref, { start: 25, end: 27, speaker: 'b' }]);
    expect(extra.falseAlarmSec).toBeCloseTo(2, 1);
  });

  it('does not score the collar around each reference boundary', () => {
    const late = diarizationErrorRate(ref, [
      { start: 0, end: 10.2, speaker: 'a' },
      { start: 10.2, end: 20, speaker: 'b' },
    ]);
    expect(late.der).toBe(0);
    expect(diarizationErrorRate(ref, ref, { collarSec: 0 }).scoredSec).toBeCloseTo(20, 1);
  });
});

describe('speakers in transcripts', () => {
  const words = (list: Array<[string, number, number]>) =>
    list.map(([word, start, end]) => ({ word, start, end, confidence: 0.9 }));
  const segment: TranscriptSegment = {
    id: 0,
    start: 0,
    end: 4,
    text: 'Hello there. Good morning.',
    confidence: 0.9,
    words: words([
      ['hello', 0, 0.5],
      ['there', 0.6, 1.2],
      ['good', 2.1, 2.6],
      ['morning', 2.7, 4],
    ]),
  };
  const turns: SpeakerTurn[] = [
    { start: 0, end: 1.3, speaker: 'S1' },
    { start: 2, end: 4.1, speaker: 'S2' },
  ];

  it('cuts a segment where the speaker changes, keeping every word, its timing and the written text', () => {
    const out = assignSpeakers([segment], turns);
    expect(out.map((s) => [s.speaker, s.text, s.start, s.end])).toEqual([
      ['S1', 'Hello there.', 0, 1.2],
      ['S2', 'Good morning.', 2.1, 4],
    ]);
    expect(out.flatMap((s) => s.words)).toEqual(segment.words);
    expect(transcriptText(out)).toBe(segment.text);
  });

  it('shows names in captions: a voice span per WebVTT cue, "Name:" opening each turn in SRT and text', () => {
    const segments = assignSpeakers([segment], turns);
    const speakerNames = new Map([
      ['S1', 'Ana Díaz'],
      ['S2', 'Speaker 2'],
    ]);
    const vtt = toWebVtt({ segments }, { speakerNames });
    expect(vtt).toContain('<v Ana Díaz>Hello there.');
    expect(vtt).toContain('<v Speaker 2>Good morning.');
    const srt = toSrt({ segments }, { speakerNames });
    expect(srt).toContain('Ana Díaz: Hello there.');
    expect(toPlainText({ segments }, { speakerNames })).toBe(
      'Ana Díaz: Hello there.\n\nSpeaker 2: Good morning.\n',
    );
    // Without speakers the captions are as before.
    expect(toWebVtt({ segments: [segment] })).not.toContain('<v');
  });

  it("keeps speakers through an editor's correction: unchanged segments keep theirs, new ones take the overlapping one", () => {
    const model = assignSpeakers([segment], turns);
    const edited = applyTranscriptEdit(
      model,
      [
        { start: 0, end: 1.2, text: 'Hello there.' },
        { start: 2.1, end: 4, text: 'Good morning, everyone.' },
        { start: 4, end: 4.1, text: 'Hi.', speaker: 'S1' },
      ],
      5,
    );
    expect(edited.segments.map((s) => s.speaker)).toEqual(['S1', 'S2', 'S1']);
  });
});

async function fliteVoice(tts: LocalSynthesizer, voice: string, text: string): Promise<Pcm> {
  const r = await tts.synthesize(text, { voice: `flite/${voice}`, format: 'wav' });
  return (await decodeAudio(r.audio)).pcm;
}

describe('diarize, on synthesized voices (always run)', () => {
  let conversation: Conversation;
  let monologue: Conversation;

  beforeAll(async () => {
    const tts = new LocalSynthesizer();
    const lines: Array<[string, string]> = [
      ['awb', 'The council met on Tuesday to discuss the budget for next year.'],
      ['slt', 'What did the members decide about the new bus routes?'],
      ['awb', 'They agreed to extend two routes, and to review the fares in spring.'],
      ['slt', 'And the schools?'],
      ['awb', 'The schools will receive more money for repairs, starting in March.'],
      ['slt', 'Thank you for joining us this morning.'],
    ];
    const utterances: Utterance[] = [];
    for (const [voice, text] of lines)
      utterances.push({ speaker: voice, pcm: await fliteVoice(tts, voice, text) });
    // Pauses between turns, two of them shorter than the pause that splits speech regions.
    conversation = assembleConversation(utterances, [0.6, 0.1, 0.8, 0.12, 0.5]);
    const alone: Utterance[] = [];
    for (const [, text] of lines.slice(0, 4))
      alone.push({ speaker: 'rms', pcm: await fliteVoice(tts, 'rms', text) });
    monologue = assembleConversation(alone, [0.6, 0.1, 0.8]);
  });

  it('finds the two voices, turns near the true changes, a low DER (0.25 s collar)', () => {
    const d = diarize(conversation.pcm);
    expect(d.speakers).toHaveLength(2);
    expect(changesFound(conversation.turns, d.turns, 0.5)).toBe(true);
    expect(diarizationErrorRate(conversation.turns, d.turns).der).toBeLessThan(0.1);
    expect(d.speakers.every((s) => s.voice.mean.length === 19 && s.seconds > 3)).toBe(true);
  });

  it('keeps one voice as one speaker', () => {
    expect(diarize(monologue.pcm).speakers).toHaveLength(1);
  });

  it('matches a speaker to an enrolled voice from another recording, and not the other speaker', () => {
    const d = diarize(conversation.pcm);
    const rms = diarize(monologue.pcm).speakers[0]!;
    const awb = d.speakers.find((s) => d.turns.find((t) => t.speaker === s.id)!.start < 1)!;
    // Enrol awb's voice from this conversation; a different recording of awb must match it, rms must not.
    const enrolled = [{ id: 'person-awb', voice: awb.voice }];
    expect(voiceDistance(awb.voice, rms.voice)).toBeGreaterThan(0);
    expect(matchVoices([{ id: 'S1', voice: rms.voice }], enrolled).size).toBe(0);
    const other = d.speakers.find((s) => s.id !== awb.id)!;
    expect(matchVoices([...d.speakers], enrolled).get(awb.id)?.id).toBe('person-awb');
    expect(matchVoices([other], enrolled).size).toBe(0);
  });
});

describe.skipIf(reportSkip(hasSpeechData, 'diarization of real recordings'))(
  'diarize, on real recordings',
  () => {
    it('finds JFK and the LJ reader in a conversation assembled from their recordings, turns near the changes', async () => {
      const load = async (file: string) => (await decodeAudio(path.join(speechDataDir, file))).pcm;
      const jfk = splitPhrases(await load('jfk.wav')).map((pcm): Utterance => ({ speaker: 'jfk', pcm }));
      const lj = [
        ...splitPhrases(await load('lj_LJ001-0001.wav')),
        ...splitPhrases(await load('lj_LJ001-0002.wav')),
      ].map((pcm): Utterance => ({ speaker: 'lj', pcm }));
      const order = [jfk[0]!, lj[0]!, jfk[1]!, lj[1]!, jfk[2]!, lj[2]!, jfk[3]!];
      const conversation = assembleConversation(order, [0.5, 0.12, 0.8, 0.3, 0.1, 0.6]);
      const d = diarize(conversation.pcm);
      expect(d.speakers).toHaveLength(2);
      expect(changesFound(conversation.turns, d.turns, 0.5)).toBe(true);
      expect(diarizationErrorRate(conversation.turns, d.turns).der).toBeLessThan(0.15);
    });
  },
);
