import { useEffect, useRef, useState } from 'preact/hooks';
import { objectUrl } from '../api/files.js';
import { send } from '../api/client.js';
import { graphql } from '../gql/gql.js';
import type { AssetTranscriptQuery } from '../gql/graphql.js';
import { canEdit } from '../session.js';
import { announce } from '../ui/announce.js';
import { Button, Engine, ErrorNote, Field, fmtDate, Loading } from '../ui/components.js';
import { useAction, useAsync } from '../ui/hooks.js';
import { JobLine, type JobState } from '../ui/job.js';
import { Diff } from '../ui/diff.js';
import { audioPathOf, engineOf, SYNTHESIZE } from './content.js';

/** Audio and video: the player, the transcript with the spoken word highlighted, captions, and synthesis. */

type TranscriptRow = NonNullable<AssetTranscriptQuery['asset']['transcripts'][number]>;
type Segment = TranscriptRow['segments'][number];

const TRANSCRIPT = graphql(`
  query AssetTranscript($id: ID!) {
    asset(id: $id) {
      id
      transcripts {
        id
        edited
        editedAt
        modelText
        modelSegments {
          start
          end
          text
        }
        language
        engine
        engineVersion
        text
        durationSec
        createdAt
        segments {
          start
          end
          text
          confidence
          words {
            word
            start
            end
            confidence
          }
        }
        captions {
          vtt
          srt
        }
      }
    }
  }
`);
export const TRANSCRIBE = graphql(`
  mutation Transcribe($assetId: ID!) {
    transcribe(assetId: $assetId) {
      ...JobState
    }
  }
`);
const EDIT = graphql(`
  mutation EditTranscript($id: ID!, $input: EditTranscriptInput!) {
    editTranscript(id: $id, input: $input) {
      id
    }
  }
`);
const REVERT = graphql(`
  mutation RevertTranscriptEdit($id: ID!) {
    revertTranscriptEdit(id: $id) {
      id
    }
  }
`);
const VOICES = graphql(`
  query SpeechVoices {
    speechVoices {
      engine
      voices {
        id
        name
        language
      }
    }
  }
`);

async function loadTranscript(assetId: string): Promise<TranscriptRow | null> {
  return (await send(TRANSCRIPT, { id: assetId })).asset.transcripts[0] ?? null;
}

const stamp = (sec: number, sep: '.' | ',') => {
  const ms = Math.round(sec * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${sep}${pad(ms % 1000, 3)}`;
};

/** Captions made from the transcript's segments, when the server offers no caption files. */
export function captions(segments: readonly Segment[], format: 'vtt' | 'srt'): string {
  if (format === 'vtt')
    return `WEBVTT\n\n${segments.map((s) => `${stamp(s.start, '.')} --> ${stamp(s.end, '.')}\n${s.text.trim()}\n`).join('\n')}`;
  return segments
    .map((s, i) => `${i + 1}\n${stamp(s.start, ',')} --> ${stamp(s.end, ',')}\n${s.text.trim()}\n`)
    .join('\n');
}

function saveText(text: string, name: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

export function Transcript({
  asset,
}: {
  asset: { id: string; filename: string; kind: string; downloadPath: string };
}) {
  const [src, setSrc] = useState<string | null>(null);
  const [srcError, setSrcError] = useState<unknown>(null);
  const [time, setTime] = useState(0);
  const [jobs, setJobs] = useState<JobState[]>([]);
  const media = useRef<HTMLMediaElement>(null);
  useEffect(() => {
    objectUrl(asset.downloadPath).then(setSrc, setSrcError);
  }, [asset.downloadPath]);
  const tr = useAsync(() => loadTranscript(asset.id), [asset.id]);
  const transcribe = useAction(async () => {
    const j = (await send(TRANSCRIBE, { assetId: asset.id })).transcribe;
    setJobs((js) => [j, ...js]);
    announce('Transcription queued');
  });
  const dl = useAction(async (format: 'vtt' | 'srt') => {
    const t = tr.data!;
    const base = asset.filename.replace(/\.[^.]+$/, '');
    const text = t.captions[format] || captions(t.segments, format);
    saveText(text, `${base}.${format}`, format === 'vtt' ? 'text/vtt' : 'application/x-subrip');
  });
  const Player = asset.kind === 'video' ? 'video' : 'audio';
  const segments = tr.data?.segments ?? [];
  return (
    <div class="grid2">
      <section aria-labelledby="play-h">
        <h2 id="play-h">{asset.kind === 'video' ? 'Video' : 'Audio'}</h2>
        <ErrorNote error={srcError} />
        {src ? (
          <Player
            ref={media as never}
            controls
            src={src}
            onTimeUpdate={(e: Event) => setTime((e.currentTarget as HTMLMediaElement).currentTime)}
            aria-label={asset.filename}
          />
        ) : (
          !srcError && <Loading />
        )}
        <Synthesize />
      </section>
      <section aria-labelledby="tr-h">
        <h2 id="tr-h">
          Transcript <Engine name={tr.data?.engine} version={tr.data?.engineVersion} />
        </h2>
        {
          <>
            <ErrorNote error={tr.error} />
            {tr.loading && !tr.data ? (
              <Loading />
            ) : tr.data ? (
              <>
                <p class="muted small">
                  {tr.data.language && `language ${tr.data.language} · `}made {fmtDate(tr.data.createdAt)}.
                  Click a word to play from there.
                </p>
                <div class="transcript" data-testid="transcript">
                  {segments.map((s, si) =>
                    (s.words?.length ? s.words : [{ word: s.text, start: s.start, end: s.end }]).map(
                      (w, wi) => {
                        const now = time >= w.start && time < w.end;
                        return (
                          <>
                            <span
                              key={`${si}-${wi}`}
                              class={`w${now ? ' now' : ''}`}
                              aria-current={now ? 'true' : undefined}
                              tabIndex={0}
                              role="button"
                              onClick={() =>
                                media.current &&
                                ((media.current.currentTime = w.start), void media.current.play())
                              }
                              onKeyDown={(e) =>
                                e.key === 'Enter' && media.current && (media.current.currentTime = w.start)
                              }
                            >
                              {w.word}
                            </span>{' '}
                          </>
                        );
                      },
                    ),
                  )}
                  {!segments.length && tr.data.text}
                </div>
                {tr.data.edited && (
                  <details>
                    <summary>
                      Corrected by an editor {fmtDate(tr.data.editedAt)}: what the model heard
                    </summary>
                    <Diff before={tr.data.modelText} after={tr.data.text} label="The editor's corrections" />
                  </details>
                )}
                {canEdit() && <EditTranscript t={tr.data} onSaved={tr.reload} />}
                <div class="row" style={{ marginTop: '0.5rem' }}>
                  <Button onClick={() => void dl.run('vtt')}>Download captions (WebVTT)</Button>
                  <Button onClick={() => void dl.run('srt')}>Download captions (SRT)</Button>
                </div>
                <ErrorNote error={dl.error} />
              </>
            ) : (
              <p class="muted">No transcript yet.</p>
            )}
            {canEdit() && (
              <p>
                <Button onClick={() => void transcribe.run()} busy={transcribe.busy}>
                  {tr.data ? 'Transcribe again' : 'Transcribe'}
                </Button>
              </p>
            )}
            <ErrorNote error={transcribe.error} />
            {jobs.map((j) => (
              <JobLine key={j.id} job={j} label="Transcription" onEnd={tr.reload} />
            ))}
          </>
        }
      </section>
    </div>
  );
}

/** What the model heard over a segment's time, when an editor's version differs from it. */
function modelHeard(t: TranscriptRow, s: Segment): string | undefined {
  if (!t.edited) return undefined;
  const heard = t.modelSegments
    .filter((m) => m.end > s.start && m.start < s.end)
    .map((m) => m.text.trim())
    .join(' ');
  return heard && heard !== s.text.trim() ? `The model heard: ${heard}` : undefined;
}

/** The editor's corrections, segment by segment (times kept); the model's version stays for comparison. */
function EditTranscript({ t, onSaved }: { t: TranscriptRow; onSaved: () => void }) {
  const [open, setOpen] = useState(false);
  const [texts, setTexts] = useState<string[]>([]);
  const save = useAction(async () => {
    await send(EDIT, {
      id: t.id,
      input: {
        segments: t.segments.map((s, i) => ({ start: s.start, end: s.end, text: texts[i] ?? s.text })),
      },
    });
    announce('Transcript corrected');
    setOpen(false);
    onSaved();
  });
  const revert = useAction(async () => {
    await send(REVERT, { id: t.id });
    announce("The model's transcript is back");
    onSaved();
  });
  if (!open)
    return (
      <div class="row">
        <Button
          onClick={() => {
            setTexts(t.segments.map((s) => s.text));
            setOpen(true);
          }}
        >
          Correct the transcript
        </Button>
        {t.edited && (
          <Button busy={revert.busy} onClick={() => void revert.run()}>
            Back to the model's version
          </Button>
        )}
        <ErrorNote error={revert.error} />
      </div>
    );
  return (
    <form
      class="card"
      aria-label="Correct the transcript"
      onSubmit={(e) => {
        e.preventDefault();
        void save.run();
      }}
    >
      {t.segments.map((s, i) => (
        <Field
          key={i}
          label={`${stamp(s.start, '.').slice(3, 8)}–${stamp(s.end, '.').slice(3, 8)}`}
          hint={modelHeard(t, s)}
        >
          <textarea
            rows={2}
            value={texts[i]}
            onInput={(e) => {
              const v = e.currentTarget.value;
              setTexts((xs) => xs.map((x, j) => (j === i ? v : x)));
            }}
          />
        </Field>
      ))}
      <ErrorNote error={save.error} />
      <div class="row">
        <Button kind="primary" type="submit" busy={save.busy}>
          Save corrections
        </Button>
        <Button onClick={() => setOpen(false)}>Cancel</Button>
      </div>
    </form>
  );
}

/** Text to speech: type a text, hear it. */
function Synthesize() {
  const [text, setText] = useState('');
  const [voice, setVoice] = useState('');
  const voices = useAsync(() => send(VOICES).then((d) => d.speechVoices), []);
  const [audio, setAudio] = useState<{ url: string; engine?: string } | null>(null);
  const [job, setJob] = useState<JobState | null>(null);
  const [error, setError] = useState<unknown>(null);
  const show = async (result: unknown) => {
    const path = audioPathOf(result);
    if (!path) {
      const r = (result ?? {}) as { status?: string; message?: string };
      throw new Error(r.message ?? `The speech job made no audio (${r.status ?? 'no result'})`);
    }
    setAudio({ url: await objectUrl(path), engine: engineOf(result) });
  };
  const act = useAction(async () => {
    setAudio(null);
    setError(null);
    setJob((await send(SYNTHESIZE, { input: { text, voice: voice || undefined } })).synthesize);
  });
  return (
    <form
      class="card"
      aria-label="Synthesize speech"
      onSubmit={(e) => {
        e.preventDefault();
        void act.run();
      }}
    >
      <h3>Synthesized speech</h3>
      <Field label="Text to read aloud">
        <textarea value={text} onInput={(e) => setText(e.currentTarget.value)} rows={3} />
      </Field>
      {voices.data && voices.data.voices.length > 0 && (
        <Field label="Voice">
          <select value={voice} onChange={(e) => setVoice(e.currentTarget.value)}>
            <option value="">Default</option>
            {voices.data.voices.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name} ({v.language})
              </option>
            ))}
          </select>
        </Field>
      )}
      <Button type="submit" busy={act.busy} disabled={!text.trim()}>
        Synthesize
      </Button>
      <ErrorNote error={act.error ?? error} />
      {job && (
        <JobLine
          job={job}
          label="Synthesis"
          onEnd={(j) => (j.status === 'COMPLETED' ? void show(j.result).catch(setError) : undefined)}
        />
      )}
      {audio && (
        <p>
          <audio controls src={audio.url} aria-label="Synthesized speech" /> <Engine name={audio.engine} />
        </p>
      )}
    </form>
  );
}
