import { Link, useLocation } from '../app/router';

export function SignInPrompt({ what }: { what: string }) {
  const location = useLocation();
  const next = `${location.pathname}${location.search}`;
  return (
    <section>
      <h1>Please sign in</h1>
      <p>
        <Link to={`/sign-in?next=${encodeURIComponent(next)}`}>Sign in</Link> to {what}.
      </p>
    </section>
  );
}
