import {
  speakerNames,
  toPlainText,
  toSrt,
  toWebVtt,
  type TranscriptSegment,
  type TranscriptSpeaker,
} from '@media-ai/speech';

export const CAPTION_FORMATS = ['srt', 'vtt', 'txt'] as const;
export type CaptionFormat = (typeof CAPTION_FORMATS)[number];

export const CAPTION_CONTENT_TYPES: Record<CaptionFormat, string> = {
  srt: 'application/x-subrip; charset=utf-8',
  vtt: 'text/vtt; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};

export function isCaptionFormat(format: string): format is CaptionFormat {
  return (CAPTION_FORMATS as readonly string[]).includes(format);
}

/**
 * Stored transcript segments as SubRip, WebVTT or plain text (cues of at most 2 lines of 42 characters),
 * with the speakers' names where the transcript was diarized: "Name: " opening each turn in SRT and
 * text, a voice span (<v Name>) on every WebVTT cue.
 */
export function renderCaptions(
  segments: TranscriptSegment[],
  format: CaptionFormat,
  speakers: TranscriptSpeaker[] = [],
): string {
  const transcript = { segments };
  const names = speakerNames(speakers);
  switch (format) {
    case 'srt':
      return toSrt(transcript, { speakerNames: names });
    case 'vtt':
      return toWebVtt(transcript, { speakerNames: names });
    case 'txt':
      return toPlainText(transcript, { speakerNames: names });
    default: {
      const never: never = format;
      throw new Error(`Unknown caption format ${String(never)}`);
    }
  }
}

export const captionPath = (transcriptId: string, format: CaptionFormat) =>
  `/v1/transcripts/${transcriptId}/captions.${format}`;
