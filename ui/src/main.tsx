// The application: the session check, the top bar and the hash routes to each view.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, onSignedOut, post, type Session } from './api';
import { ErrorBox, Loading } from './components';
import { href, useLocation, type Location } from './router';
import { SignIn } from './views/sign-in';
import { ExperimentsView } from './views/experiments/experiments';
import { RunsView } from './views/runs/runs';
import { RunView } from './views/run/run';
import { CompareView } from './views/compare/compare';
import { ProjectRunsView, ProjectRunView } from './views/projects/projects';
import 'uplot/dist/uPlot.min.css';
import './style.css';

function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const location = useLocation();

  useEffect(() => {
    get<Session>('/ui/session').then(setSession).catch(e => {
      if (e instanceof ApiError && e.status === 401) setSession(null);
      else setError(e);
    });
    return onSignedOut(() => setSession(null));
  }, []);

  if (error) return <main class="page"><ErrorBox error={error} /></main>;
  if (session === undefined) return <Loading />;
  if (session === null) return <SignIn onSignedIn={setSession} />;

  async function signOut() {
    await post('/ui/sign-out', {}).catch(() => undefined);
    setSession(null);
  }

  const section = location.parts[0] ?? 'experiments';
  return (
    <>
      <nav class="top">
        <a class="brand" href="#/">Quarkflow</a>
        <a href={href(['experiments'])} class={section === 'experiments' || section === 'runs' || section === 'compare' ? 'active' : ''}>Experiments</a>
        <a href={href(['projects'])} class={section === 'projects' ? 'active' : ''}>Project runs</a>
        <span class="spacer" />
        <span class="user" title={`permission: ${session.permission}`}>{session.user}</span>
        {session.authentication && <button type="button" class="link" onClick={signOut}>Sign out</button>}
      </nav>
      <main class="page"><Page location={location} session={session} /></main>
    </>
  );
}

function Page({ location, session }: { location: Location; session: Session }) {
  const [section, id] = location.parts;
  const canEdit = session.permission === 'EDIT';
  switch (section) {
    case undefined:
    case 'experiments':
      return id === undefined
        ? <ExperimentsView canEdit={canEdit} />
        : <RunsView key={id} experimentIds={id.split(',')} query={location.query} />;
    case 'runs':
      return <RunView key={id} runId={id} canEdit={canEdit} />;
    case 'compare':
      return <CompareView runIds={(location.query.get('runs') ?? '').split(',').filter(Boolean)} />;
    case 'projects':
      return id === undefined ? <ProjectRunsView canEdit={canEdit} /> : <ProjectRunView key={id} runId={id} canEdit={canEdit} />;
    default:
      return <ErrorBox error={new Error(`No page ${location.parts.join('/')}`)} />;
  }
}

render(<App />, document.getElementById('app')!);
