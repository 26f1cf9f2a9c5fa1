import type { Diarization } from './diarize.js';
import { isVoiceModel, type VoiceMatch, type VoiceModel } from './voice.js';

/**
 * A transcript's speaker as stored with it: the id its segments carry ("S1"), the name shown (an editor's
 * name, the matched person's, or "Speaker 1"), the person of the newsroom's registry when the voice
 * matched an enrolled one or an editor linked it, and the voice itself (for enrolment).
 */
export interface TranscriptSpeaker {
  id: string;
  name: string;
  personId: string | null;
  /** voiceDistance to the enrolled voice that named the speaker; null when no voice matched. */
  matchDistance: number | null;
  seconds: number;
  voice: VoiceModel | null;
}

export const MAX_SPEAKER_NAME = 100;

/** "S3" → "Speaker 3". */
export function defaultSpeakerName(id: string): string {
  return `Speaker ${id.replace(/^S/, '')}`;
}

/** The speakers of a diarization, named after their matched person where an enrolled voice matched. */
export function transcriptSpeakers(
  diarization: Diarization,
  matches: ReadonlyMap<string, VoiceMatch>,
  personNames: ReadonlyMap<string, string>,
): TranscriptSpeaker[] {
  return diarization.speakers.map((s) => {
    const match = matches.get(s.id);
    const name = match ? personNames.get(match.id) : undefined;
    return {
      id: s.id,
      name: name ?? defaultSpeakerName(s.id),
      personId: match && name ? match.id : null,
      matchDistance: match && name ? match.distance : null,
      seconds: s.seconds,
      voice: s.voice,
    };
  });
}

/** Stored JSON back to speakers; anything malformed is dropped rather than trusted. */
export function readSpeakers(json: unknown): TranscriptSpeaker[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((raw): TranscriptSpeaker[] => {
    if (typeof raw !== 'object' || raw === null) return [];
    const s = raw as Record<string, unknown>;
    if (typeof s['id'] !== 'string') return [];
    return [
      {
        id: s['id'],
        name: typeof s['name'] === 'string' && s['name'] ? s['name'] : defaultSpeakerName(s['id']),
        personId: typeof s['personId'] === 'string' ? s['personId'] : null,
        matchDistance: typeof s['matchDistance'] === 'number' ? s['matchDistance'] : null,
        seconds: typeof s['seconds'] === 'number' ? s['seconds'] : 0,
        voice: isVoiceModel(s['voice']) ? s['voice'] : null,
      },
    ];
  });
}

/** Speaker id → name shown, for captions. */
export function speakerNames(speakers: readonly TranscriptSpeaker[]): Map<string, string> {
  return new Map(speakers.map((s) => [s.id, s.name]));
}
