import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { takeFocusRequest } from './router.js';
import { describeError } from '../api/client.js';
import { objectUrl } from '../api/files.js';

export function ErrorNote({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const d = describeError(error);
  return (
    <div class="error" role="alert">
      <strong>{title ?? d.headline}</strong>
      <p>{d.detail}</p>
      {d.problems.length > 1 && (
        <ul>
          {d.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {title && <p>{d.headline}</p>}
      <small class="muted">code: {d.code}</small>
    </div>
  );
}

export const Loading = ({ label = 'Loading…' }: { label?: string }) => (
  <p class="muted" role="status">
    {label}
  </p>
);

export function Progress({ value, label }: { value: number; label: string }) {
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div class="progress-wrap">
      <div
        class="progress"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={`${pct}%`}
      >
        <div class="bar" style={{ width: `${pct}%` }} />
      </div>
      <span class="pct" aria-hidden="true">
        {pct}%
      </span>
    </div>
  );
}

export function Badge({ status }: { status: string }) {
  return <span class={`badge b-${status.toLowerCase()}`}>{status.toLowerCase().replace(/_/g, ' ')}</span>;
}

export function Engine({ name, version }: { name?: string | null; version?: string | null }) {
  if (!name) return null;
  return (
    <span class="engine" title="The engine or model that made this">
      ⚙ {name}
      {version ? `@${version}` : ''}
    </span>
  );
}

export function Button(
  props: JSX.ButtonHTMLAttributes<HTMLButtonElement> & {
    busy?: boolean;
    kind?: 'primary' | 'danger' | 'plain';
  },
) {
  const { busy, kind = 'plain', children, disabled, ...rest } = props;
  return (
    <button
      type="button"
      class={`btn ${kind}`}
      disabled={busy || (disabled as boolean)}
      aria-busy={busy}
      {...rest}
    >
      {children}
      {busy && <span class="spin" aria-hidden="true" />}
    </button>
  );
}

export function Field({
  label,
  children,
  hint,
}: {
  label: string;
  children: ComponentChildren;
  hint?: string;
}) {
  return (
    <label class="field">
      <span class="label">{label}</span>
      {children}
      {hint && <small class="muted">{hint}</small>}
    </label>
  );
}

export const fmtDate = (d: string | null | undefined) => (d ? new Date(d).toLocaleString() : '—');
export const fmtBytes = (n: number | string) => {
  const b = Number(n);
  if (b < 1024) return `${b} B`;
  if (b < 1024 ** 2) return `${(b / 1024).toFixed(1)} kB`;
  if (b < 1024 ** 3) return `${(b / 1024 ** 2).toFixed(1)} MB`;
  return `${(b / 1024 ** 3).toFixed(2)} GB`;
};

/** An image behind the API key. */
export function AuthImage({
  path,
  alt,
  ...rest
}: { path: string; alt: string } & Omit<JSX.ImgHTMLAttributes<HTMLImageElement>, 'src' | 'alt'>) {
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    objectUrl(path).then(
      (u) => live && setSrc(u),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [path]);
  if (error) return <ErrorNote error={error} title={`Could not load ${alt}`} />;
  if (!src) return <div class="img-placeholder" aria-label={`Loading ${alt}`} />;
  return <img src={src} alt={alt} {...rest} />;
}

export function Json({ value }: { value: unknown }) {
  return <pre class="json">{JSON.stringify(value, null, 2)}</pre>;
}

export function MoreButton({
  hasMore,
  busy,
  onMore,
}: {
  hasMore: boolean;
  busy: boolean;
  onMore: () => void;
}) {
  if (!hasMore) return null;
  return (
    <p>
      <Button busy={busy} onClick={onMore}>
        Load more
      </Button>
    </p>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · media-ai`;
    // After a navigation, keyboard and screen-reader users land on the new page's heading.
    if (takeFocusRequest()) h1.current?.focus();
  }, [title]);
  return (
    <header class="page-head">
      <h1 tabIndex={-1} id="page-title" ref={h1}>
        {title}
      </h1>
      {children && <div class="actions">{children}</div>}
    </header>
  );
}

/** Why an engine other than the chosen one wrote a text, and what the guardrails found in it. */
export function GenerationNotes({
  item,
}: {
  item: {
    engine: string;
    fallback?: { from: string; reason: string } | null;
    guardrails?: {
      passed: boolean;
      action: string;
      issues: Array<{ message: string; suggestion?: string | null }>;
    } | null;
  };
}) {
  return (
    <>
      {item.fallback && (
        <p class="muted small">
          Made by {item.engine} because {item.fallback.from} failed: {item.fallback.reason}
        </p>
      )}
      {item.guardrails && !item.guardrails.passed && (
        <div class="notice small" role="note">
          <strong>
            Guardrails {item.guardrails.action === 'REJECT' ? 'rejected' : 'flagged'} this text:
          </strong>
          <ul>
            {item.guardrails.issues.map((i, n) => (
              <li key={n}>
                {i.message}
                {i.suggestion && ` (suggestion: ${i.suggestion})`}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
