import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './ui/styles.css';
import { getKey, onUnauthenticated } from './api/client.js';
import { ErrorNote, Loading } from './ui/components.js';
import { Shell } from './shell.js';
import { Login } from './pages/login.js';
import { resume, signOut, type Me } from './session.js';

function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [state, setState] = useState<'checking' | 'login' | 'ready' | 'error'>(
    getKey() ? 'checking' : 'login',
  );
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (state === 'checking') {
      resume().then(
        (m) => {
          setMe(m);
          setState('ready');
        },
        (e: { code?: string }) => {
          if (e.code === 'UNAUTHENTICATED') {
            signOut();
            setNotice('Your saved API key is no longer accepted. Sign in with another key.');
            setState('login');
          } else {
            setError(e);
            setState('error');
          }
        },
      );
    }
  }, [state]);

  useEffect(
    () =>
      onUnauthenticated(() => {
        signOut();
        setMe(null);
        setNotice('The server stopped accepting your API key (it may have been revoked). Sign in again.');
        setState('login');
      }),
    [],
  );

  if (state === 'checking') return <Loading label="Connecting to the platform…" />;
  if (state === 'error')
    return (
      <main class="center">
        <ErrorNote error={error} title="The dashboard could not start" />
        <button class="btn" onClick={() => setState('checking')}>
          Try again
        </button>
      </main>
    );
  if (state === 'login' || !me)
    return (
      <Login
        notice={notice}
        onSignedIn={(m) => {
          setMe(m);
          setNotice(null);
          setState('ready');
        }}
      />
    );
  return (
    <Shell
      me={me}
      onSignOut={() => {
        signOut();
        setMe(null);
        setState('login');
      }}
    />
  );
}

render(<App />, document.getElementById('app')!);
