import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** A tiny history router under the app's base (/dashboard/). */

const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');
const listeners = new Set<() => void>();

export interface Location {
  /** e.g. "content/1234", without the base or a leading slash */
  path: string;
  query: URLSearchParams;
}

function current(): Location {
  let p = location.pathname;
  if (p.startsWith(BASE)) p = p.slice(BASE.length);
  return { path: p.replace(/^\/+|\/+$/g, ''), query: new URLSearchParams(location.search) };
}

export const href = (path: string) => `${BASE}/${path.replace(/^\//, '')}`;

let focusRequested = false;
/** True once after a navigation: the next page heading to render takes the focus (PageHeader). */
export function takeFocusRequest(): boolean {
  const r = focusRequested;
  focusRequested = false;
  return r;
}

export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  const url = href(path);
  focusRequested = true;
  if (opts.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  listeners.forEach((fn) => fn());
}

/** Updates query parameters in place (filters), keeping the page. */
export function setQuery(params: Record<string, string | null | undefined>): void {
  const q = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === '') q.delete(k);
    else q.set(k, v);
  }
  const s = q.toString();
  history.replaceState(null, '', `${location.pathname}${s ? `?${s}` : ''}`);
  listeners.forEach((fn) => fn());
}

addEventListener('popstate', () => {
  focusRequested = true;
  listeners.forEach((fn) => fn());
});

export function useLocation(): Location {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const fn = () => setLoc(current());
    listeners.add(fn);
    return () => void listeners.delete(fn);
  }, []);
  return loc;
}

export function Link(props: {
  to: string;
  children: ComponentChildren;
  class?: string;
  'aria-current'?: 'page' | undefined;
}) {
  return (
    <a
      href={href(props.to)}
      class={props.class}
      aria-current={props['aria-current']}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}
