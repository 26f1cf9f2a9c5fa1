import { useEffect, useRef, useState } from 'preact/hooks';
import { objectUrl } from '../api/files.js';
import { send } from '../api/client.js';
import { graphql } from '../gql/gql.js';
import type { ClipAspect, ClipCaptions, VideoPageQuery } from '../gql/graphql.js';
import type { PageProps } from '../shell.js';
import { canEdit } from '../session.js';
import { announce } from '../ui/announce.js';
import { AuthImage, Button, ErrorNote, Field, Loading, PageHeader } from '../ui/components.js';
import { useAction, useAsync } from '../ui/hooks.js';
import { JobLine, type JobState } from '../ui/job.js';
import { Link } from '../ui/router.js';

/**
 * A video: the player with its scene strip (a keyframe per scene, who is in it), chapters and the
 * transcript following the playhead (click a line to play from it), and a clip builder that previews
 * the range in the player, queues video.clip and shows the clip when it is made. Without an id: the
 * newsroom's videos.
 */

const VIDEOS = graphql(`
  query VideoList($first: Int!, $after: String) {
    assets(first: $first, after: $after, kind: "video") {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          filename
          createdAt
        }
      }
    }
  }
`);

const VIDEO = graphql(`
  query VideoPage($id: ID!) {
    asset(id: $id) {
      id
      filename
      kind
      downloadPath
    }
    videoAnalysis(assetId: $id) {
      durationSec
      width
      height
      hasAudio
      transcriptId
      posterPath
      chapters {
        index
        startSec
        endSec
        title
        titleFrom
      }
      scenes {
        index
        startSec
        endSec
        keyframeSec
        keyframeAssetId
        text
        tags
        people {
          id
          name
        }
      }
    }
  }
`);

const TRANSCRIPT = graphql(`
  query VideoTranscript($id: ID!) {
    transcript(id: $id) {
      id
      language
      segments {
        start
        end
        text
      }
    }
  }
`);

const ANALYZE = graphql(`
  mutation AnalyzeVideo($assetId: ID!) {
    analyzeVideo(assetId: $assetId) {
      ...JobState
    }
  }
`);

const MAKE_CLIP = graphql(`
  mutation MakeClip($input: MakeClipInput!) {
    makeClip(input: $input) {
      ...JobState
    }
  }
`);

type Analysis = NonNullable<VideoPageQuery['videoAnalysis']>;
type Segment = { start: number; end: number; text: string };

/** Seconds as m:ss.s, the way editors read a timeline. */
const clock = (sec: number) => {
  const m = Math.floor(sec / 60);
  const s = sec - m * 60;
  return `${m}:${s < 10 ? '0' : ''}${s.toFixed(1)}`;
};

const ASPECTS: { value: ClipAspect; label: string; ratio: number }[] = [
  { value: 'VERTICAL_9_16', label: '9:16 (stories, shorts)', ratio: 9 / 16 },
  { value: 'SQUARE_1_1', label: '1:1 (feeds)', ratio: 1 },
  { value: 'WIDE_16_9', label: '16:9 (players)', ratio: 16 / 9 },
];

export default function VideoPage({ params }: PageProps) {
  const id = params[0];
  if (!id) return <VideoList />;
  return <VideoDetail key={id} id={id} />;
}

function VideoList() {
  const list = useAsync(() => send(VIDEOS, { first: 50 }), []);
  const videos = list.data?.assets.edges.map((e) => e.node) ?? [];
  return (
    <>
      <PageHeader title="Video" />
      <ErrorNote error={list.error} />
      {list.loading && !list.data ? (
        <Loading />
      ) : videos.length ? (
        <ul>
          {videos.map((v) => (
            <li key={v.id}>
              <Link to={`video/${v.id}`}>{v.filename}</Link>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">No videos yet: upload one on the Media page.</p>
      )}
    </>
  );
}

function VideoDetail({ id }: { id: string }) {
  const data = useAsync(() => send(VIDEO, { id }), [id]);
  const [src, setSrc] = useState<string | null>(null);
  const [srcError, setSrcError] = useState<unknown>(null);
  const [time, setTime] = useState(0);
  const [range, setRange] = useState<{ start: number; end: number; ratio: number } | null>(null);
  const [jobs, setJobs] = useState<JobState[]>([]);
  const player = useRef<HTMLVideoElement>(null);
  const asset = data.data?.asset;
  const analysis = data.data?.videoAnalysis ?? null;

  useEffect(() => {
    if (asset) objectUrl(asset.downloadPath).then(setSrc, setSrcError);
  }, [asset?.downloadPath]);

  const seek = (sec: number, play = true) => {
    const v = player.current;
    if (!v) return;
    v.currentTime = sec;
    setTime(sec);
    if (play) void v.play().catch(() => undefined);
  };
  const onTime = () => {
    const v = player.current;
    if (!v) return;
    setTime(v.currentTime);
    // A clip preview stops at the end of its range.
    if (range && v.currentTime >= range.end) {
      v.pause();
      setRange(null);
    }
  };

  const analyze = useAction(async () => {
    const job = (await send(ANALYZE, { assetId: id })).analyzeVideo;
    setJobs((js) => [job, ...js]);
    announce('Video analysis queued');
  });

  if (data.error) return <ErrorNote error={data.error} title="This video could not be loaded" />;
  if (!asset) return <Loading />;
  if (asset.kind !== 'video')
    return (
      <>
        <PageHeader title={asset.filename} />
        <p>This file is {asset.kind === 'image' ? 'an image' : asset.kind}, not a video.</p>
      </>
    );
  const currentScene = analysis?.scenes.find((s) => time >= s.startSec && time < s.endSec);
  return (
    <>
      <PageHeader title={asset.filename}>
        {canEdit() && (
          <Button busy={analyze.busy} onClick={() => void analyze.run()}>
            {analysis ? 'Analyse again' : 'Analyse'}
          </Button>
        )}
      </PageHeader>
      <ErrorNote error={analyze.error} />
      {jobs.map((j) => (
        <JobLine key={j.id} job={j} label="Video analysis" onEnd={data.reload} />
      ))}
      <div class="grid2">
        <section aria-labelledby="player-h">
          <h2 id="player-h" class="sr-only">
            Player
          </h2>
          <ErrorNote error={srcError} />
          {src ? (
            <div class="video-stage">
              <video
                ref={player}
                controls
                src={src}
                data-testid="player"
                aria-label={asset.filename}
                onTimeUpdate={onTime}
                onSeeked={onTime}
              />
              {range && analysis && <AspectFrame analysis={analysis} ratio={range.ratio} />}
            </div>
          ) : (
            !srcError && <Loading label="Loading the video…" />
          )}
          <p class="muted small" aria-live="off">
            {clock(time)}
            {analysis && ` of ${clock(analysis.durationSec)}`}
            {currentScene && ` · scene ${currentScene.index + 1}`}
          </p>
          {analysis && <Chapters analysis={analysis} time={time} onSeek={seek} />}
        </section>
        <section aria-labelledby="tr-h">
          <h2 id="tr-h">Transcript</h2>
          {analysis?.transcriptId ? (
            <TranscriptLines transcriptId={analysis.transcriptId} time={time} onSeek={seek} />
          ) : (
            <p class="muted">
              {analysis ? 'No transcript: the video has no speech or no audio.' : 'Not analysed yet.'}
            </p>
          )}
        </section>
      </div>
      {analysis ? (
        <>
          <Scenes analysis={analysis} current={currentScene?.index ?? -1} onSeek={seek} />
          {canEdit() && (
            <ClipBuilder
              assetId={id}
              analysis={analysis}
              time={time}
              onPreview={(start, end, ratio) => {
                setRange({ start, end, ratio });
                seek(start);
              }}
            />
          )}
        </>
      ) : (
        !jobs.length && (
          <p class="muted">Analyse the video to see its scenes, chapters and transcript and to make clips.</p>
        )
      )}
    </>
  );
}

/**
 * While a range is previewed: the part of the picture a clip of the chosen aspect shows when centred (the
 * clip itself follows each scene's faces and objects within the frame).
 */
function AspectFrame({ analysis, ratio }: { analysis: Analysis; ratio: number }) {
  const frame = analysis.width / analysis.height;
  const w = ratio >= frame ? 100 : (100 * ratio) / frame;
  const h = ratio >= frame ? (100 * frame) / ratio : 100;
  return (
    <div
      class="aspect-frame"
      aria-hidden="true"
      style={{ width: `${w}%`, height: `${h}%`, left: `${(100 - w) / 2}%`, top: `${(100 - h) / 2}%` }}
    />
  );
}

function Chapters({
  analysis,
  time,
  onSeek,
}: {
  analysis: Analysis;
  time: number;
  onSeek: (sec: number) => void;
}) {
  if (!analysis.chapters.length) return null;
  return (
    <section aria-labelledby="chapters-h">
      <h2 id="chapters-h">Chapters</h2>
      <ol class="chapters">
        {analysis.chapters.map((c) => {
          const now = time >= c.startSec && time < c.endSec;
          return (
            <li key={c.index}>
              <button
                type="button"
                class={`btn plain${now ? ' now' : ''}`}
                aria-current={now ? 'true' : undefined}
                onClick={() => onSeek(c.startSec)}
              >
                {clock(c.startSec)} {c.title}
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** The transcript a line per segment; the line being spoken is marked, a click plays from it. */
function TranscriptLines({
  transcriptId,
  time,
  onSeek,
}: {
  transcriptId: string;
  time: number;
  onSeek: (sec: number) => void;
}) {
  const tr = useAsync(() => send(TRANSCRIPT, { id: transcriptId }), [transcriptId]);
  const box = useRef<HTMLOListElement>(null);
  const segments: Segment[] = tr.data?.transcript.segments ?? [];
  const current = segments.findIndex((s) => time >= s.start && time < s.end);
  useEffect(() => {
    // Keep the spoken line in view without moving the page.
    const el = box.current?.querySelector<HTMLElement>('[aria-current="true"]');
    if (el && box.current) box.current.scrollTop = el.offsetTop - box.current.offsetTop - 40;
  }, [current]);
  if (tr.error) return <ErrorNote error={tr.error} />;
  if (!tr.data) return <Loading />;
  if (!segments.length) return <p class="muted">Nothing was heard.</p>;
  return (
    <>
      <p class="muted small">Click a line to play from there.</p>
      <ol class="transcript lines" ref={box} data-testid="transcript">
        {segments.map((s, i) => (
          <li key={i}>
            <button
              type="button"
              class={`line${i === current ? ' now' : ''}`}
              aria-current={i === current ? 'true' : undefined}
              onClick={() => onSeek(s.start)}
            >
              <span class="muted small">{clock(s.start)}</span> {s.text.trim()}
            </button>
          </li>
        ))}
      </ol>
    </>
  );
}

function Scenes({
  analysis,
  current,
  onSeek,
}: {
  analysis: Analysis;
  current: number;
  onSeek: (sec: number) => void;
}) {
  return (
    <section aria-labelledby="scenes-h">
      <h2 id="scenes-h">Scenes ({analysis.scenes.length})</h2>
      <ol class="scene-strip">
        {analysis.scenes.map((s) => (
          <li key={s.index} class={s.index === current ? 'now' : undefined}>
            <button
              type="button"
              class="scene"
              aria-current={s.index === current ? 'true' : undefined}
              aria-label={`Scene ${s.index + 1}, ${clock(s.startSec)} to ${clock(s.endSec)}: play`}
              onClick={() => onSeek(s.startSec)}
            >
              <AuthImage
                path={`/v1/assets/${s.keyframeAssetId}/thumbnails/small`}
                alt={`Keyframe of scene ${s.index + 1}`}
              />
            </button>
            <div class="small">
              <strong>
                {s.index + 1}. {clock(s.startSec)}–{clock(s.endSec)}
              </strong>
              {s.people.length > 0 && (
                <p data-testid="scene-people">People: {s.people.map((p) => p.name).join(', ')}</p>
              )}
              {s.text && <p class="muted">Text: {s.text.split('\n')[0]}</p>}
              {s.tags.length > 0 && <p class="muted">{s.tags.slice(0, 4).join(', ')}</p>}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

interface ClipResult {
  clipAssetId: string;
  width: number;
  height: number;
  durationSec: number;
  captions: number;
  loudness: { status: string; outputLufs: number | null; reason: string | null };
}

function ClipBuilder({
  assetId,
  analysis,
  time,
  onPreview,
}: {
  assetId: string;
  analysis: Analysis;
  time: number;
  onPreview: (start: number, end: number, ratio: number) => void;
}) {
  const [start, setStart] = useState(0);
  const [end, setEnd] = useState(Math.min(analysis.durationSec, 15));
  const [aspect, setAspect] = useState<ClipAspect>('VERTICAL_9_16');
  const [captions, setCaptions] = useState<ClipCaptions>('BURNED');
  const [jobs, setJobs] = useState<JobState[]>([]);
  const [results, setResults] = useState<Record<string, ClipResult>>({});
  const problem =
    end <= start
      ? 'The end must come after the start.'
      : start >= analysis.durationSec
        ? `The start is past the end of the video (${clock(analysis.durationSec)}).`
        : end - start > 600
          ? 'A clip lasts at most 10 minutes.'
          : null;
  const queue = useAction(async () => {
    const job = (await send(MAKE_CLIP, { input: { assetId, start, end, aspect, captions } })).makeClip;
    setJobs((js) => [job, ...js]);
    announce('Clip queued');
  });
  const ratio = ASPECTS.find((a) => a.value === aspect)!.ratio;
  const num = (v: string) => Math.max(0, Math.round(Number(v) * 10) / 10);
  return (
    <section aria-labelledby="clip-h" class="card">
      <h2 id="clip-h">Make a clip</h2>
      <form
        aria-label="Make a clip"
        onSubmit={(e) => {
          e.preventDefault();
          if (!problem) void queue.run();
        }}
      >
        <div class="row">
          <Field label="Start (seconds)">
            <input
              type="number"
              min={0}
              step={0.1}
              value={start}
              onInput={(e) => setStart(num(e.currentTarget.value))}
            />
          </Field>
          <Button onClick={() => setStart(Math.round(time * 10) / 10)}>Start here ({clock(time)})</Button>
          <Field label="End (seconds)">
            <input
              type="number"
              min={0}
              step={0.1}
              value={end}
              onInput={(e) => setEnd(num(e.currentTarget.value))}
            />
          </Field>
          <Button onClick={() => setEnd(Math.round(time * 10) / 10)}>End here ({clock(time)})</Button>
        </div>
        <div class="row">
          <Field label="Aspect">
            <select value={aspect} onChange={(e) => setAspect(e.currentTarget.value as ClipAspect)}>
              {ASPECTS.map((a) => (
                <option key={a.value} value={a.value}>
                  {a.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Captions">
            <select value={captions} onChange={(e) => setCaptions(e.currentTarget.value as ClipCaptions)}>
              <option value="BURNED">Burned in, from the transcript</option>
              <option value="NONE">None</option>
            </select>
          </Field>
        </div>
        {problem && (
          <p class="error-text" role="alert">
            {problem}
          </p>
        )}
        <div class="row">
          <Button disabled={!!problem} onClick={() => onPreview(start, end, ratio)}>
            Preview in the player
          </Button>
          <button type="submit" class="btn primary" disabled={!!problem || queue.busy}>
            Make the clip
          </button>
        </div>
        <p class="muted small">
          The preview plays the range with the {ASPECTS.find((a) => a.value === aspect)!.label.split(' ')[0]}{' '}
          frame drawn centred; the clip moves it to keep each scene's faces and objects in view, and
          normalises the loudness.
        </p>
      </form>
      <ErrorNote error={queue.error} />
      {jobs.map((j) => (
        <div key={j.id}>
          <JobLine
            job={j}
            label="Clip"
            onEnd={(done) => {
              if (done.status === 'COMPLETED' && done.result)
                setResults((r) => ({ ...r, [j.id]: done.result as ClipResult }));
            }}
          />
          {results[j.id] && <ClipMade result={results[j.id]} />}
        </div>
      ))}
    </section>
  );
}

function ClipMade({ result }: { result: ClipResult }) {
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    objectUrl(`/v1/assets/${result.clipAssetId}/content`).then(setSrc, setError);
  }, [result.clipAssetId]);
  const l = result.loudness;
  return (
    <figure class="clip-made" data-testid="clip-result">
      <AuthImage
        path={`/v1/assets/${result.clipAssetId}/derivatives/preview-webp/content`}
        alt="Animated preview of the clip"
      />
      {src && <video controls src={src} aria-label="The clip" />}
      <ErrorNote error={error} />
      <figcaption class="small">
        Clip ready: {result.width}×{result.height}, {result.durationSec.toFixed(1)} s, {result.captions}{' '}
        caption{result.captions === 1 ? '' : 's'},{' '}
        {l.status === 'normalised' && l.outputLufs !== null
          ? `loudness ${l.outputLufs.toFixed(1)} LUFS`
          : (l.reason ?? 'loudness not measured')}
        .
      </figcaption>
    </figure>
  );
}
