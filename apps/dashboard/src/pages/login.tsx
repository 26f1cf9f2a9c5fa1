import { useState } from 'preact/hooks';
import { ErrorNote } from '../ui/components.js';
import { signIn, type Me } from '../session.js';

export function Login({ onSignedIn, notice }: { onSignedIn: (me: Me) => void; notice: string | null }) {
  const [key, setKeyValue] = useState('');
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <main class="login">
      <form
        class="card"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          try {
            onSignedIn(await signIn(key.trim(), remember));
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <h1>media-ai dashboard</h1>
        <p>
          Sign in with your newsroom's API key (an editor or admin key). Ask an admin for one, or run{' '}
          <code>pnpm mediaai keys create</code>.
        </p>
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <label class="field">
          <span class="label">API key</span>
          <input
            type="password"
            name="apiKey"
            autoComplete="current-password"
            required
            value={key}
            onInput={(e) => setKeyValue(e.currentTarget.value)}
            placeholder="mai_…"
          />
        </label>
        <label class="check">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.currentTarget.checked)} />{' '}
          Remember on this device
        </label>
        <ErrorNote error={error} />
        <button class="btn primary" type="submit" disabled={busy || !key.trim()}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
