import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { send } from '../api/client.js';
import { download, forget, objectUrl } from '../api/files.js';
import { graphql } from '../gql/gql.js';
import type { AssetAnalysisQuery, AssetTileFragment } from '../gql/graphql.js';
import { uploadAsset, type UploadedAsset } from '../api/upload.js';
import { canEdit } from '../session.js';
import type { PageProps } from '../shell.js';
import { announce } from '../ui/announce.js';
import {
  AuthImage,
  Badge,
  Button,
  Engine,
  ErrorNote,
  Field,
  fmtBytes,
  fmtDate,
  Loading,
  MoreButton,
  PageHeader,
  Progress,
} from '../ui/components.js';
import { useAction, useAsync, useDebounced } from '../ui/hooks.js';
import { JobLine, type JobState } from '../ui/job.js';
import { Link, setQuery } from '../ui/router.js';
import { Transcript, TRANSCRIBE } from './transcript.js';
import { FaceCrop } from '../ui/face.js';
import { FaceActions } from '../ui/face-actions.js';

type Asset = AssetTileFragment;

graphql(`
  fragment AssetTile on MediaAsset {
    id
    filename
    mimeType
    kind
    sizeBytes
    createdAt
    downloadPath
    thumbnails {
      size
      url
    }
  }
`);
const ASSETS = graphql(`
  query Assets($first: Int!, $after: String, $kind: String) {
    assets(first: $first, after: $after, kind: $kind) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...AssetTile
        }
      }
    }
  }
`);
const SEARCH = graphql(`
  query SearchAssets($first: Int!, $after: String, $text: String, $tag: String) {
    searchAssets(first: $first, after: $after, text: $text, tag: $tag) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...AssetTile
        }
      }
    }
  }
`);
const ASSET = graphql(`
  query Asset($id: ID!) {
    asset(id: $id) {
      ...AssetTile
      checksum
      metadata
    }
  }
`);
const ANALYZE = graphql(`
  mutation AnalyzeAsset($id: ID!) {
    r: analyzeAsset(assetId: $id) {
      ...JobState
    }
  }
`);
const DERIVATIVES = graphql(`
  mutation RequestDerivatives($id: ID!) {
    r: requestDerivatives(assetId: $id, kinds: [THUMBNAIL, CROP_1X1, CROP_4X5, CROP_16X9]) {
      ...JobState
    }
  }
`);
const ENHANCE = graphql(`
  mutation EnhanceAsset($id: ID!) {
    r: enhanceAsset(assetId: $id) {
      ...JobState
    }
  }
`);
const RUNNING = graphql(`
  query AssetJobs($f: JobFilter) {
    jobs(first: 10, filter: $f) {
      edges {
        node {
          ...JobState
        }
      }
    }
  }
`);
const ANALYSIS = graphql(`
  query AssetAnalysis($id: ID!, $minTag: Float!, $minOcr: Float!) {
    assetAnalysis(assetId: $id) {
      analyzed
      perceptualHash
      altText
      altTextEdited
      modelAltText
      analyses {
        kind
        jobId
        createdAt
        model {
          name
          version
        }
      }
      tags {
        label
        confidence
        source
        box {
          x
          y
          width
          height
        }
      }
      tagSummary(minConfidence: $minTag) {
        label
        count
        confidentCount
        maxConfidence
        lowConfidence
      }
      faces {
        id
        notAFace
        assetId
        age
        gender
        expression
        detectionScore
        assignment
        clusterId
        model
        box {
          x
          y
          width
          height
        }
        person {
          id
          name
        }
      }
      moderation {
        decision
        scores
        reasons
        status
      }
      moderationModel {
        name
        version
      }
      ocr(minConfidence: $minOcr) {
        confidence
        textLines {
          text
          confidence
          lowConfidence
        }
        model {
          name
          version
        }
      }
      derivatives {
        id
        kind
        mimeType
        width
        height
        sizeBytes
        downloadPath
        createdAt
        model {
          name
          version
        }
      }
    }
  }
`);
const EDIT_ALT_TEXT = graphql(`
  mutation EditAltText($assetId: ID!, $text: String) {
    editAltText(assetId: $assetId, text: $text) {
      altText
      altTextEdited
      modelAltText
    }
  }
`);
const SIMILAR = graphql(`
  query SimilarImages($id: ID!) {
    similarImages(assetId: $id, first: 12) {
      edges {
        node {
          id
          distance
          asset {
            id
            filename
            kind
            sizeBytes
            thumbnails {
              size
              url
            }
          }
        }
      }
    }
  }
`);

export default function MediaPage({ params, query }: PageProps) {
  if (params[0]) return <AssetView id={params[0]} />;
  return <MediaList query={query} />;
}

/** Starts the analyses that suit a new upload (when the server offers them). */
async function afterUpload(a: UploadedAsset): Promise<{ job: JobState; label: string }[]> {
  const jobs: { job: JobState; label: string }[] = [];
  if (a.kind === 'image') jobs.push({ job: (await send(ANALYZE, { id: a.id })).r, label: 'Image analysis' });
  if (a.kind === 'audio' || a.kind === 'video')
    jobs.push({ job: (await send(TRANSCRIBE, { assetId: a.id })).transcribe, label: 'Transcription' });
  return jobs;
}

interface UploadRow {
  key: string;
  name: string;
  size: number;
  progress: number;
  asset?: UploadedAsset;
  error?: unknown;
  jobs: { job: JobState; label: string }[];
}

function Uploader({ onUploaded }: { onUploaded: () => void }) {
  const [rows, setRows] = useState<UploadRow[]>([]);
  const [analyse, setAnalyse] = useState(true);
  const update = (key: string, patch: Partial<UploadRow>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const start = (files: FileList | null) => {
    if (!files) return;
    for (const file of Array.from(files)) {
      const key = `${file.name}-${file.size}-${Date.now()}-${Math.random()}`;
      setRows((rs) => [{ key, name: file.name, size: file.size, progress: 0, jobs: [] }, ...rs]);
      uploadAsset(file, (p) => update(key, { progress: p }))
        .then(async (asset) => {
          update(key, { asset, progress: 1 });
          announce(`${file.name} uploaded${asset.duplicate ? ' (already in the library)' : ''}`);
          onUploaded();
          if (analyse) update(key, { jobs: await afterUpload(asset) });
        })
        .catch((error) => {
          update(key, { error });
          announce(`${file.name} was not uploaded`);
        });
    }
  };
  return (
    <section class="card" aria-labelledby="up-h">
      <h2 id="up-h">Upload</h2>
      <div class="row">
        <Field label="Images, audio or video">
          <input
            type="file"
            multiple
            accept="image/*,audio/*,video/*"
            onChange={(e) => {
              start(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
          />
        </Field>
        <label class="check">
          <input type="checkbox" checked={analyse} onChange={(e) => setAnalyse(e.currentTarget.checked)} />{' '}
          Analyse after upload
        </label>
      </div>
      {rows.map((r) => (
        <div key={r.key} class="job-line upload-row">
          <div class="job-line-head">
            <strong>{r.name}</strong> <span class="muted">{fmtBytes(r.size)}</span>
            {r.asset && (
              <>
                <Badge status={r.asset.duplicate ? 'duplicate' : 'uploaded'} />{' '}
                <Link to={`media/${r.asset.id}`}>Open {r.asset.kind}</Link>
              </>
            )}
          </div>
          {!r.asset && !r.error && <Progress value={r.progress} label={`Uploading ${r.name}`} />}
          {r.error != null && <ErrorNote error={r.error} title={`${r.name} was not uploaded`} />}
          {r.jobs.map((j) => (
            <JobLine key={j.job.id} job={j.job} label={j.label} />
          ))}
        </div>
      ))}
    </section>
  );
}

function MediaList({ query }: { query: URLSearchParams }) {
  const kind = query.get('kind') ?? '';
  const [text, setText] = useState(query.get('q') ?? '');
  const [tag, setTag] = useState(query.get('tag') ?? '');
  const q = useDebounced(text);
  const t = useDebounced(tag);
  useEffect(() => setQuery({ q, tag: t }), [q, t]);
  const searching = q.length >= 2 || !!t;
  const [items, setItems] = useState<Asset[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const fetchPage = async (after: string | null) => {
    if (searching) {
      const d = await send(SEARCH, { first: 24, after, text: q.length >= 2 ? q : null, tag: t || null });
      return d.searchAssets;
    }
    const d = await send(ASSETS, { first: 24, after, kind: kind || null });
    return d.assets;
  };
  const list = useAsync(async () => {
    const c = await fetchPage(null);
    setItems(c.edges.map((e) => e.node));
    setCursor(c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null);
    return true;
  }, [kind, q, t, reloadKey]);
  const more = useAction(async () => {
    const c = await fetchPage(cursor);
    setItems((i) => [...i, ...c.edges.map((e) => e.node)]);
    setCursor(c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null);
  });
  return (
    <>
      <PageHeader title="Media" />
      {canEdit() && <Uploader onUploaded={() => setReloadKey((k) => k + 1)} />}
      <form class="filters" role="search" aria-label="Filter media" onSubmit={(e) => e.preventDefault()}>
        <Field label="Kind">
          <select
            value={kind}
            onChange={(e) => setQuery({ kind: e.currentTarget.value })}
            disabled={!!searching}
          >
            <option value="">Any</option>
            <option value="image">Images</option>
            <option value="audio">Audio</option>
            <option value="video">Video</option>
          </select>
        </Field>
        {
          <>
            <Field label="Object tag in image">
              <input
                type="search"
                value={tag}
                onInput={(e) => setTag(e.currentTarget.value)}
                placeholder="e.g. dog"
              />
            </Field>
            <Field label="Words in image text or alt text">
              <input type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />
            </Field>
          </>
        }
      </form>
      <ErrorNote error={list.error} />
      {list.loading && !items.length && <Loading />}
      {!list.loading && !items.length && <p class="muted">No media {searching ? 'matches' : 'yet'}.</p>}
      <ul class="thumbs" style={{ listStyle: 'none', padding: 0 }}>
        {items.map((a) => (
          <li key={a.id}>
            <figure>
              <Link to={`media/${a.id}`}>
                <Thumb asset={a} />
                <figcaption>
                  {a.filename}
                  <br />
                  <span class="muted">
                    {a.kind} · {fmtBytes(a.sizeBytes)}
                  </span>
                </figcaption>
              </Link>
            </figure>
          </li>
        ))}
      </ul>
      <ErrorNote error={more.error} />
      <MoreButton hasMore={!!cursor} busy={more.busy} onMore={() => void more.run()} />
    </>
  );
}

/** The small thumbnail the API made at upload (a few kB, cached by the browser), never the original. */
export const smallThumb = (a: { thumbnails: readonly { size: string; url: string }[] }) =>
  a.thumbnails.find((t) => t.size === 'small')?.url;

function Thumb({ asset }: { asset: Asset }) {
  const thumb = smallThumb(asset);
  if (thumb) return <AuthImage path={thumb} alt="" loading="lazy" />;
  return (
    <div
      class="img-placeholder"
      style={{ display: 'grid', placeItems: 'center', minHeight: '120px' }}
      aria-hidden="true"
    >
      {asset.kind === 'audio' ? '♪' : asset.kind === 'video' ? '▶' : '▣'}
    </div>
  );
}

function AssetView({ id }: { id: string }) {
  const asset = useAsync(() => send(ASSET, { id }).then((d) => d.asset), [id]);
  const dl = useAction((a: Asset) => download(a.downloadPath, a.filename));
  if (asset.error) return <ErrorNote error={asset.error} title="This file could not be loaded" />;
  if (!asset.data) return <Loading />;
  const a = asset.data;
  return (
    <>
      <PageHeader title={a.filename}>
        <Link to="media">← All media</Link>
        <Button onClick={() => void dl.run(a)} busy={dl.busy}>
          Download original
        </Button>
      </PageHeader>
      <p class="muted">
        {a.kind} · {a.mimeType} · {fmtBytes(a.sizeBytes)} · uploaded {fmtDate(a.createdAt)}
      </p>
      <ErrorNote error={dl.error} />
      {a.kind === 'image' ? <ImageAnalysis asset={a} /> : <Transcript asset={a} />}
    </>
  );
}

type Vision = AssetAnalysisQuery['assetAnalysis'];

function ImageAnalysis({ asset }: { asset: Asset }) {
  const [jobs, setJobs] = useState<{ job: JobState; label: string }[]>([]);
  const vision = useAsync(
    () =>
      send(ANALYSIS, { id: asset.id, minTag: TAG_CONFIDENT, minOcr: OCR_CONFIDENT }).then(
        (d) => d.assetAnalysis,
      ),
    [asset.id],
  );
  // Jobs already running for this image (e.g. the analysis queued at upload).
  useEffect(() => {
    void send(RUNNING, { f: { assetId: asset.id, statuses: ['QUEUED', 'ACTIVE'] } }).then(
      (d) => setJobs((js) => [...js, ...d.jobs.edges.map((e) => ({ job: e.node, label: e.node.type }))]),
      () => undefined,
    );
  }, [asset.id]);
  const onEnd = () => {
    for (const d of vision.data?.derivatives ?? []) forget(d.downloadPath);
    vision.reload();
  };
  const start = useAction(async (what: 'analyze' | 'derivatives' | 'enhance') => {
    const d = await send(what === 'analyze' ? ANALYZE : what === 'derivatives' ? DERIVATIVES : ENHANCE, {
      id: asset.id,
    });
    setJobs((js) => [
      {
        job: d.r,
        label:
          what === 'analyze'
            ? 'Image analysis'
            : what === 'derivatives'
              ? 'Crops and thumbnail'
              : 'Enhancement',
      },
      ...js,
    ]);
    announce('Job queued');
  });
  const v = vision.data;
  const [showTags, setShowTags] = useState(true);
  const [showFaces, setShowFaces] = useState(true);
  return (
    <div class="grid2">
      <section aria-labelledby="img-h">
        <h2 id="img-h">Image</h2>
        <div class="row">
          <label class="check">
            <input
              type="checkbox"
              checked={showTags}
              onChange={(e) => setShowTags(e.currentTarget.checked)}
            />{' '}
            Show object boxes
          </label>
          <label class="check">
            <input
              type="checkbox"
              checked={showFaces}
              onChange={(e) => setShowFaces(e.currentTarget.checked)}
            />{' '}
            Show faces
          </label>
        </div>
        <ImageWithBoxes
          asset={asset}
          tags={showTags ? (v?.tags ?? []) : []}
          faces={showFaces ? (v?.faces ?? []) : []}
        />
        {v?.analyzed && <AltText assetId={asset.id} v={v} onChanged={vision.reload} />}
        {canEdit() && (
          <div class="row" style={{ marginTop: '0.5rem' }}>
            <Button onClick={() => void start.run('analyze')} busy={start.busy}>
              {v?.analyzed ? 'Analyse again' : 'Analyse'}
            </Button>
            <Button onClick={() => void start.run('derivatives')}>Make crops and thumbnail</Button>
            <Button onClick={() => void start.run('enhance')}>Enhance</Button>
          </div>
        )}
        <ErrorNote error={start.error} />
        <div aria-live="polite">
          {jobs.map((j) => (
            <JobLine key={j.job.id} job={j.job} label={j.label} onEnd={onEnd} />
          ))}
        </div>
      </section>
      <section aria-labelledby="an-h" data-testid="analysis">
        <h2 id="an-h">What the models found</h2>
        <ErrorNote error={vision.error} />
        {!v ? (
          <Loading />
        ) : !v.analyzed ? (
          <p class="muted">Not analysed yet.</p>
        ) : (
          <AnalysisDetails v={v} onChanged={vision.reload} />
        )}
        {v && <Similar assetId={asset.id} analyzed={!!v.perceptualHash} />}
        {v && <Derivatives v={v} />}
      </section>
    </div>
  );
}

function ImageWithBoxes({
  asset,
  tags,
  faces,
}: {
  asset: { downloadPath: string; filename: string };
  tags: Vision['tags'];
  faces: Vision['faces'];
}) {
  const [src, setSrc] = useState<string | null>(null);
  const [size, setSize] = useState<{ w: number; h: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    objectUrl(asset.downloadPath).then(setSrc, setError);
  }, [asset.downloadPath]);
  if (error) return <ErrorNote error={error} title="The image could not be shown" />;
  if (!src) return <div class="img-placeholder" />;
  const boxes = [
    ...tags
      .filter((t) => t.box)
      .map((t) => ({ cls: 'tag', box: t.box!, label: `${t.label} ${Math.round(t.confidence * 100)}%` })),
    ...faces
      .filter((f) => !f.notAFace)
      .map((f) => ({ cls: 'face', box: f.box, label: f.person?.name ?? 'unknown face' })),
  ];
  return (
    <div class="image-stage">
      <img
        src={src}
        alt={asset.filename}
        onLoad={(e) => setSize({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })}
      />
      {size && boxes.length > 0 && (
        <svg
          viewBox={`0 0 ${size.w} ${size.h}`}
          preserveAspectRatio="none"
          aria-hidden="true"
          data-testid="boxes"
        >
          {boxes.map((b, i) => (
            <g key={i}>
              <rect
                class={`box ${b.cls}`}
                x={b.box.x}
                y={b.box.y}
                width={b.box.width}
                height={b.box.height}
              />
              <text
                class="box-label"
                x={b.box.x + 4}
                y={Math.max(b.box.y - 6, 16)}
                style={{ fontSize: `${Math.max(12, size.w / 45)}px` }}
              >
                {b.label}
              </text>
            </g>
          ))}
        </svg>
      )}
    </div>
  );
}

/** Below this confidence an object tag is folded away (the object detector calls a true dog 42%, a false parking meter 30%). */
const TAG_CONFIDENT = 0.35;
/** Below this word confidence (0–100) a line of OCR text is folded away. */
const OCR_CONFIDENT = 60;

type TagCount = Vision['tagSummary'][number];

const TagList = ({ tags, label, testId }: { tags: TagCount[]; label: string; testId?: string }) => (
  <ul class="tags" aria-label={label} data-testid={testId}>
    {tags.map((t) => (
      <li key={t.label}>
        {t.label}
        {t.count > 1 && <span aria-label={`, found ${t.count} times`}> ×{t.count}</span>}{' '}
        <span class="muted">{Math.round(t.maxConfidence * 100)}%</span>
      </li>
    ))}
  </ul>
);

/** A fold with how many things it hides; closed by default. */
function Folded({ summary, children }: { summary: string; children: ComponentChildren }) {
  const [open, setOpen] = useState(false);
  return (
    <div class="folded">
      <Button aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide' : 'Show'} {summary}
      </Button>
      {open && children}
    </div>
  );
}

function AnalysisDetails({ v, onChanged }: { v: Vision; onChanged: () => void }) {
  const modelOf = (kind: string) => v.analyses.find((a) => a.kind === kind)?.model;
  const objects = modelOf('objects');
  const faces = modelOf('faces');
  const ocr = v.ocr;
  // One row per label with its count (the API merges them); labels whose every box is unsure fold away.
  const sure = v.tagSummary.filter((t) => !t.lowConfidence);
  const unsure = v.tagSummary.filter((t) => t.lowConfidence);
  const lines = ocr?.textLines.filter((l) => l.text.trim()) ?? [];
  const readable = lines.filter((l) => !l.lowConfidence);
  const noise = lines.filter((l) => l.lowConfidence);
  return (
    <>
      <h3>
        Tags <Engine name={objects?.name} version={objects?.version} />
      </h3>
      {sure.length ? (
        <TagList tags={sure} label="Object tags" testId="tags" />
      ) : (
        <p class="muted">No objects found with confidence.</p>
      )}
      {unsure.length > 0 && (
        <Folded
          summary={`${unsure.length} low-confidence tag${unsure.length === 1 ? '' : 's'} (under ${TAG_CONFIDENT * 100}%)`}
        >
          <TagList tags={unsure} label="Low-confidence tags" testId="unsure-tags" />
        </Folded>
      )}
      <h3>
        Faces <Engine name={faces?.name} version={faces?.version} />
      </h3>
      {v.faces.length ? (
        <ul class="face-list" data-testid="faces">
          {v.faces.map((f, i) => (
            <FaceRow key={f.id} f={f} n={i + 1} onChanged={onChanged} />
          ))}
        </ul>
      ) : (
        <p class="muted">No faces found.</p>
      )}
      <h3>
        Moderation <Engine name={v.moderationModel?.name} version={v.moderationModel?.version} />
      </h3>
      {v.moderation ? (
        <>
          <p>
            <Badge status={v.moderation.decision} /> review: <Badge status={v.moderation.status} />
            {v.moderation.decision !== 'allow' && v.moderation.status === 'PENDING' && (
              <>
                {' '}
                <Link to="review">review it</Link>
              </>
            )}
          </p>
          {Array.isArray(v.moderation.reasons) && v.moderation.reasons.length > 0 && (
            <ul>
              {(
                v.moderation.reasons as {
                  className: string;
                  score: number;
                  threshold: number;
                  action: string;
                }[]
              ).map((r, i) => (
                <li key={i}>
                  {r.className}: {r.score.toFixed(2)} ≥ {r.action} threshold {r.threshold}
                </li>
              ))}
            </ul>
          )}
          <details>
            <summary>Scores</summary>
            <ul>
              {Object.entries(v.moderation.scores ?? {}).map(([k, s]) => (
                <li key={k}>
                  {k}: {Number(s).toFixed(3)}
                </li>
              ))}
            </ul>
          </details>
        </>
      ) : (
        <p class="muted">Not checked.</p>
      )}
      <h3>
        Text in the image (OCR) <Engine name={ocr?.model.name} version={ocr?.model.version} />
      </h3>
      {!lines.length ? (
        <p class="muted">No text found.</p>
      ) : (
        <>
          {readable.length ? (
            <OcrLines lines={readable} label="Text read in the image" testId="ocr" />
          ) : (
            <p class="muted">No text read with confidence.</p>
          )}
          {noise.length > 0 && (
            <Folded
              summary={`${noise.length} low-confidence line${noise.length === 1 ? '' : 's'} (under ${OCR_CONFIDENT}%, probably not real text)`}
            >
              <OcrLines lines={noise} label="Low-confidence text" testId="ocr-noise" />
            </Folded>
          )}
        </>
      )}
    </>
  );
}

const OcrLines = ({
  lines,
  label,
  testId,
}: {
  lines: NonNullable<Vision['ocr']>['textLines'];
  label: string;
  testId: string;
}) => (
  <ul class="ocr-lines" aria-label={label} data-testid={testId}>
    {lines.map((l, i) => (
      <li key={i}>
        {l.text} <span class="muted small">{Math.round(l.confidence)}%</span>
      </li>
    ))}
  </ul>
);

/** The alt text: the editor's version when there is one (the model's shown beside it), editable. */
function AltText({ assetId, v, onChanged }: { assetId: string; v: Vision; onChanged: () => void }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const save = useAction(async (next: string | null) => {
    await send(EDIT_ALT_TEXT, { assetId, text: next });
    announce(next ? 'Alt text saved' : "The model's alt text is back");
    setEditing(false);
    onChanged();
  });
  return (
    <div class="alt-text" data-testid="alt-text">
      <h3>Alt text {v.altTextEdited && <span class="badge b-edited">edited by an editor</span>}</h3>
      {editing ? (
        <form
          aria-label="Edit the alt text"
          onSubmit={(e) => {
            e.preventDefault();
            void save.run(text.trim());
          }}
        >
          <Field
            label="Alt text"
            hint="One sentence saying what the picture shows, for readers who cannot see it."
          >
            <textarea rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} required />
          </Field>
          <div class="row">
            <Button type="submit" kind="primary" busy={save.busy} disabled={!text.trim()}>
              Save alt text
            </Button>
            <Button onClick={() => setEditing(false)}>Cancel</Button>
          </div>
        </form>
      ) : (
        <p class="alt-current">{v.altText ?? <span class="muted">None yet.</span>}</p>
      )}
      {v.altTextEdited && (
        <p class="muted small alt-model">The model wrote: {v.modelAltText ?? <em>nothing</em>}</p>
      )}
      {canEdit() && !editing && (
        <div class="row small-actions">
          <Button
            onClick={() => {
              setText(v.altText ?? '');
              setEditing(true);
            }}
          >
            Edit alt text
          </Button>
          {v.altTextEdited && (
            <Button busy={save.busy} onClick={() => void save.run(null)}>
              Back to the model's alt text
            </Button>
          )}
        </div>
      )}
      <ErrorNote error={save.error} />
    </div>
  );
}

/** A face with who it is; "name this person" and "not a face" on every face. */
function FaceRow({ f, n, onChanged }: { f: Vision['faces'][number]; n: number; onChanged: () => void }) {
  const who = f.notAFace ? `detection ${n}` : (f.person?.name ?? `unknown face ${n}`);
  return (
    <li data-face-id={f.id} class={f.notAFace ? 'not-a-face' : undefined}>
      <FaceCrop faceId={f.id} label={who} size={56} />
      <div>
        <strong>{f.notAFace ? 'Not a face' : (f.person?.name ?? 'Unknown person')}</strong>
        {!f.notAFace && f.assignment && <span class="muted"> ({f.assignment})</span>}
        {!f.notAFace && f.age != null && `, about ${Math.round(f.age)}`}
        {!f.notAFace && f.expression && `, ${f.expression}`}
        <span class="muted small"> · detection {Math.round(f.detectionScore * 100)}%</span>
        <FaceActions face={f} who={who} onChanged={onChanged} />
      </div>
    </li>
  );
}

function Similar({ assetId, analyzed }: { assetId: string; analyzed: boolean }) {
  const sim = useAsync(
    () =>
      analyzed
        ? send(SIMILAR, { id: assetId }).then((d) => d.similarImages.edges.map((e) => e.node))
        : Promise.resolve([]),
    [assetId, analyzed],
  );
  return (
    <>
      <h3>Near-duplicates</h3>
      <ErrorNote error={sim.error} />
      {sim.data?.length ? (
        <ul class="thumbs" style={{ listStyle: 'none', padding: 0 }}>
          {sim.data.map((s) => (
            <li key={s.id}>
              <Link to={`media/${s.asset.id}`}>
                {smallThumb(s.asset) ? (
                  <AuthImage path={smallThumb(s.asset)!} alt={s.asset.filename} loading="lazy" />
                ) : (
                  <span class="img-placeholder" aria-hidden="true" />
                )}
                <span class="small">
                  {s.asset.filename} · {s.distance} bits apart
                </span>
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{analyzed ? 'No near-duplicates.' : 'Analyse the image to find near-duplicates.'}</p>
      )}
    </>
  );
}

function Derivatives({ v }: { v: Vision }) {
  const dl = useAction((path: string, name: string) => download(path, name));
  if (!v.derivatives.length) return <p class="muted">No crops, thumbnail or enhanced version yet.</p>;
  const order = (k: string) => (k.startsWith('enhanced') ? 0 : k.startsWith('crop') ? 1 : 2);
  return (
    <>
      <h3>Crops, thumbnail and enhanced version</h3>
      <ul class="thumbs" style={{ listStyle: 'none', padding: 0 }}>
        {[...v.derivatives]
          .sort((a, b) => order(a.kind) - order(b.kind))
          .map((d) => (
            <li key={d.id}>
              <figure>
                <AuthImage
                  path={d.downloadPath}
                  alt={`${d.kind} version`}
                  loading="lazy"
                  style={{ objectFit: 'contain' }}
                />
                <figcaption>
                  <strong>{d.kind}</strong> {d.width}×{d.height} · {fmtBytes(d.sizeBytes)}{' '}
                  {d.model && <Engine name={d.model.name} version={d.model.version} />}
                  <br />
                  <button
                    class="btn small"
                    onClick={() =>
                      void dl.run(d.downloadPath, `${d.kind}.${d.mimeType.split('/')[1] ?? 'bin'}`)
                    }
                  >
                    Download {d.kind}
                  </button>
                </figcaption>
              </figure>
            </li>
          ))}
      </ul>
      <ErrorNote error={dl.error} />
    </>
  );
}
