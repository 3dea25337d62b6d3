import { useState, type FormEvent } from 'react';
import { navigate, useLocation } from '../app/router';
import { useSession } from '../session/SessionProvider';
import { TokenFormatError } from '../session/session';

/** Only same-site paths: `next` comes from the URL and must not send anyone elsewhere. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/**
 * Development sign-in: the gateway mints a demo token at POST /dev/token when NODE_ENV is development or test
 * (it does not exist otherwise), or a token printed by `npm run -s token` is pasted in.
 */
export function SignInPage() {
  const { session, signIn, signOut } = useSession();
  const location = useLocation();
  const next = safeNext(location.searchParams.get('next'));
  const [customerId, setCustomerId] = useState('customer-1');
  const [pasted, setPasted] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const demo = async (admin: boolean) => {
    setProblem(undefined);
    setBusy(true);
    try {
      const response = await fetch('/dev/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sub: admin ? 'admin-1' : customerId.trim(), admin }),
      });
      if (response.status === 404) {
        setProblem('Demo sign-in is off on this server (it only exists in development). Paste a token instead.');
        return;
      }
      const body = (await response.json().catch(() => ({}))) as { token?: string; error?: string };
      if (!response.ok || !body.token) {
        setProblem(body.error ?? `The server refused the demo sign-in (HTTP ${response.status}).`);
        return;
      }
      signIn(body.token);
      navigate(admin && next === '/' ? '/admin/orders' : next);
    } catch {
      setProblem('The shop cannot be reached. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  };

  const paste = (event: FormEvent) => {
    event.preventDefault();
    try {
      const started = signIn(pasted);
      navigate(started.admin && next === '/' ? '/admin/orders' : next);
    } catch (error) {
      if (!(error instanceof TokenFormatError)) throw error;
      setProblem(error.message);
    }
  };

  return (
    <section aria-labelledby="sign-in-heading" className="sign-in">
      <h1 id="sign-in-heading">Sign in</h1>
      {session ? (
        <p>
          You are signed in as <strong>{session.sub}</strong>
          {session.admin ? ' (admin)' : ''}.{' '}
          <button type="button" onClick={() => signOut()}>
            Sign out
          </button>
        </p>
      ) : null}
      {problem ? (
        <p role="alert" className="error">
          {problem}
        </p>
      ) : null}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void demo(false);
        }}
        aria-labelledby="demo-heading"
      >
        <h2 id="demo-heading">Demo accounts (development)</h2>
        <label htmlFor="customer-id">Customer id</label>
        <input id="customer-id" value={customerId} onChange={(event) => setCustomerId(event.target.value)} required maxLength={64} pattern="[A-Za-z0-9._\-]+" autoComplete="username" />
        <button type="submit" disabled={busy}>
          Sign in as this customer
        </button>
        <button type="button" disabled={busy} onClick={() => void demo(true)}>
          Sign in as admin
        </button>
      </form>
      <form onSubmit={paste} aria-labelledby="paste-heading">
        <h2 id="paste-heading">Use a token</h2>
        <label htmlFor="token">
          Token (from <code>npm run -s token -- --sub customer-1</code>)
        </label>
        <textarea id="token" value={pasted} onChange={(event) => setPasted(event.target.value)} rows={4} required spellCheck={false} />
        <button type="submit">Sign in with this token</button>
      </form>
    </section>
  );
}
