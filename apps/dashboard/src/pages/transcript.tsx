import { useEffect, useRef, useState } from 'preact/hooks';
import { hasOp, JOB_SPEC, opLabel, runOp } from '../api/areas.js';
import { download, objectUrl } from '../api/files.js';
import { has, sel, type Spec } from '../api/schema.js';
import { gql } from '../api/client.js';
import { canEdit } from '../session.js';
import { announce } from '../ui/announce.js';
import { Button, Engine, ErrorNote, Field, fmtDate, Loading, Unavailable } from '../ui/components.js';
import { useAction, useAsync } from '../ui/hooks.js';
import { JobLine, type JobState } from '../ui/job.js';
import { audioPathOf, engineOf } from './content.js';

/** Audio and video: the player, the transcript with the spoken word highlighted, captions, and synthesis. */

interface Word {
  word: string;
  start: number;
  end: number;
  confidence?: number;
}
interface Segment {
  start: number;
  end: number;
  text: string;
  words?: Word[];
}
interface TranscriptRow {
  id: string;
  language?: string;
  engine?: string;
  engineVersion?: string | null;
  model?: { name: string; version: string } | null;
  text: string;
  segments: Segment[] | string;
  durationSec?: number;
  createdAt?: string;
  captions?: { vtt: string; srt: string };
  vttPath?: string;
  srtPath?: string;
}

const SPEC: Spec = [
  'id',
  'language',
  'engine',
  'engineVersion',
  'text',
  'segments',
  'durationSec',
  'createdAt',
  'vttPath',
  'srtPath',
  { segments: ['start', 'end', 'text', 'confidence', { words: ['word', 'start', 'end', 'confidence'] }] },
  { captions: ['vtt', 'srt'] },
  { model: ['name', 'version'] },
];

async function loadTranscript(assetId: string): Promise<TranscriptRow | null> {
  for (const f of ['transcript', 'transcripts']) {
    if (has(`MediaAsset.${f}`)) {
      const d = await gql<{ asset: Record<string, TranscriptRow | TranscriptRow[] | null> }>(
        `query($id: ID!) { asset(id: $id) { ${sel('MediaAsset', [{ [f]: SPEC }])} } }`,
        { id: assetId },
      );
      const v = d.asset[f];
      return Array.isArray(v) ? (v[0] ?? null) : v;
    }
  }
  if (hasOp('transcript'))
    return runOp<TranscriptRow | null>('transcript', { 'assetId|id': assetId }, SPEC).catch(
      (e: { code?: string }) => (e.code === 'NOT_FOUND' ? null : Promise.reject(e)),
    );
  if (hasOp('transcripts')) {
    const list = await runOp<TranscriptRow[]>('transcripts', { assetId, first: 1 }, SPEC);
    return list[0] ?? null;
  }
  return null;
}

const segmentsOf = (t: TranscriptRow): Segment[] => {
  const s = typeof t.segments === 'string' ? (JSON.parse(t.segments) as Segment[]) : t.segments;
  return Array.isArray(s) ? s : [];
};

const stamp = (sec: number, sep: '.' | ',') => {
  const ms = Math.round(sec * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${sep}${pad(ms % 1000, 3)}`;
};

/** Captions made from the transcript's segments, when the server offers no caption files. */
export function captions(segments: Segment[], format: 'vtt' | 'srt'): string {
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
  const speech =
    hasOp('transcript') ||
    hasOp('transcripts') ||
    has('MediaAsset.transcript') ||
    has('MediaAsset.transcripts');
  const tr = useAsync(() => (speech ? loadTranscript(asset.id) : Promise.resolve(null)), [asset.id]);
  const transcribe = useAction(async () => {
    const j = await runOp<JobState>('transcribe', { 'assetId|id': asset.id }, JOB_SPEC);
    if (j && 'progress' in j) setJobs((js) => [j, ...js]);
    else tr.reload();
    announce('Transcription queued');
  });
  const dl = useAction(async (format: 'vtt' | 'srt') => {
    const t = tr.data!;
    const base = asset.filename.replace(/\.[^.]+$/, '');
    const serverPath = format === 'vtt' ? t.vttPath : t.srtPath;
    if (serverPath) return download(serverPath, `${base}.${format}`);
    const text = t.captions?.[format] ?? captions(segmentsOf(t), format);
    saveText(text, `${base}.${format}`, format === 'vtt' ? 'text/vtt' : 'application/x-subrip');
  });
  const Player = asset.kind === 'video' ? 'video' : 'audio';
  const segments = tr.data ? segmentsOf(tr.data) : [];
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
          Transcript{' '}
          <Engine
            name={tr.data?.engine ?? tr.data?.model?.name}
            version={tr.data?.engineVersion ?? tr.data?.model?.version}
          />
        </h2>
        {!speech ? (
          <Unavailable what="Transcripts" needs={[opLabel('transcript')]} />
        ) : (
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
                <div class="row" style={{ marginTop: '0.5rem' }}>
                  <Button onClick={() => void dl.run('vtt')}>Download captions (WebVTT)</Button>
                  <Button onClick={() => void dl.run('srt')}>Download captions (SRT)</Button>
                </div>
                <ErrorNote error={dl.error} />
              </>
            ) : (
              <p class="muted">No transcript yet.</p>
            )}
            {canEdit() && hasOp('transcribe') && (
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
        )}
      </section>
    </div>
  );
}

/** Text to speech: type a text, hear it. */
function Synthesize() {
  const [text, setText] = useState('');
  const [voice, setVoice] = useState('');
  const voices = useAsync(
    () =>
      hasOp('voices')
        ? runOp<{ engine: string; voices: { id: string; name: string; language: string }[] }>('voices', {}, [
            'engine',
            { voices: ['id', 'name', 'language'] },
          ])
        : Promise.resolve(null),
    [],
  );
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
    const r = await runOp<unknown>('synthesize', { text, voice: voice || undefined }, [
      ...JOB_SPEC,
      'downloadPath',
      'audioPath',
      'engine',
      'assetId',
    ]);
    if (r && typeof r === 'object' && 'progress' in r) setJob(r as JobState);
    else await show(r);
  });
  if (!hasOp('synthesize')) return <Unavailable what="Speech synthesis" needs={[opLabel('synthesize')]} />;
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
