import type { FunctionComponent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { onLiveStatus } from './api/live.js';
import { ErrorNote, Loading } from './ui/components.js';
import { Link, useLocation } from './ui/router.js';
import type { Me } from './session.js';

export interface PageProps {
  /** Path segments after the page name, e.g. the id of "content/<id>". */
  params: string[];
  query: URLSearchParams;
}
type PageModule = { default: FunctionComponent<PageProps> };

const PAGES: Record<string, { title: string; load: () => Promise<PageModule> }> = {
  content: { title: 'Content', load: () => import('./pages/content.js') },
  media: { title: 'Media', load: () => import('./pages/media.js') },
  video: { title: 'Video', load: () => import('./pages/video.js') },
  graphics: { title: 'Graphics', load: () => import('./pages/graphics.js') },
  jobs: { title: 'Jobs', load: () => import('./pages/jobs.js') },
  models: { title: 'Models', load: () => import('./pages/models.js') },
  recommendations: { title: 'Recommendations', load: () => import('./pages/recommendations.js') },
  people: { title: 'People', load: () => import('./pages/people.js') },
  glossary: { title: 'Glossary & templates', load: () => import('./pages/glossary.js') },
  review: { title: 'Review', load: () => import('./pages/review.js') },
  admin: { title: 'Admin', load: () => import('./pages/admin.js') },
};
const NOT_FOUND = { title: 'Not found', load: () => import('./pages/not-found.js') };
const pageOf = (name: string) => PAGES[name] ?? NOT_FOUND;

export function Shell({ me, onSignOut }: { me: Me; onSignOut: () => void }) {
  const loc = useLocation();
  const [name, ...params] = loc.path.split('/');
  // The root shows Content; an address the dashboard does not know shows "not found", not another page.
  const pageName = name === '' ? 'content' : PAGES[name] ? name : 'not-found';
  const [mod, setMod] = useState<{ name: string; Page: FunctionComponent<PageProps> } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState<boolean | null>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => onLiveStatus(setLive), []);
  useEffect(() => {
    let current = true;
    setError(null);
    setMenuOpen(false);
    pageOf(pageName)
      .load()
      .then(
        (m) => current && setMod({ name: pageName, Page: m.default }),
        (e) => current && setError(e),
      );
    return () => {
      current = false;
    };
  }, [pageName]);

  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <button
          class="menu-btn btn"
          aria-expanded={menuOpen}
          aria-controls="nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <span class="brand">media-ai</span>
        <span class="who">
          {me.newsroom.name} · {me.name} <span class="badge">{me.role.toLowerCase()}</span>
          {live !== null && (
            <span
              class={`live ${live ? 'on' : 'off'}`}
              title={live ? 'Live updates connected' : 'Live updates reconnecting'}
            >
              {live ? 'live' : 'reconnecting…'}
            </span>
          )}
        </span>
        <button class="btn" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <nav id="nav" class={menuOpen ? 'open' : ''} aria-label="Pages">
        <ul>
          {Object.entries(PAGES).map(([key, p]) => (
            <li key={key}>
              <Link to={key} aria-current={key === pageName ? 'page' : undefined}>
                {p.title}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={mainRef}>
        {error ? (
          <ErrorNote error={error} title="This page could not load" />
        ) : mod && mod.name === pageName ? (
          <mod.Page params={params} query={loc.query} />
        ) : (
          <Loading />
        )}
      </main>
    </div>
  );
}
