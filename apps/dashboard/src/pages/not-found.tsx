import type { PageProps } from '../shell.js';
import { PageHeader } from '../ui/components.js';
import { Link, useLocation } from '../ui/router.js';

/** An address the dashboard has no page for: say so, and offer the way back. */
export default function NotFoundPage(_: PageProps) {
  const loc = useLocation();
  return (
    <>
      <PageHeader title="Not found" />
      <p>
        There is no page at <code>/dashboard/{loc.path}</code>. The address may be mistyped, or the page may
        have moved.
      </p>
      <p>
        <Link to="content">Go to Content</Link>, or choose a page from the menu.
      </p>
    </>
  );
}
