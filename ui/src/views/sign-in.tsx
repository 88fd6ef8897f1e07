// The sign-in page: a user's password or a token. The gateway answers with an HttpOnly session cookie; nothing is
// kept by the page itself.
import { useState } from 'preact/hooks';
import { ApiError, post, type Session } from '../api';
import { ErrorBox } from '../components';

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [mode, setMode] = useState<'password' | 'token'>('password');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = mode === 'password' ? { username, password } : { token };
      onSignedIn(await post<Session>('/ui/sign-in', body));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? new Error(err.message) : err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="sign-in">
      <form onSubmit={submit} aria-label="Sign in">
        <h1>Quarkflow</h1>
        <div class="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={mode === 'password'} onClick={() => setMode('password')}>Password</button>
          <button type="button" role="tab" aria-selected={mode === 'token'} onClick={() => setMode('token')}>Token</button>
        </div>
        {mode === 'password' ? <>
          <label>User<input name="username" autocomplete="username" value={username} required
            onInput={e => setUsername((e.target as HTMLInputElement).value)} /></label>
          <label>Password<input name="password" type="password" autocomplete="current-password" value={password} required
            onInput={e => setPassword((e.target as HTMLInputElement).value)} /></label>
        </> : (
          <label>Token<input name="token" type="password" autocomplete="off" value={token} required
            onInput={e => setToken((e.target as HTMLInputElement).value)} /></label>
        )}
        <ErrorBox error={error} />
        <button type="submit" class="primary" disabled={busy}>Sign in</button>
      </form>
    </main>
  );
}
