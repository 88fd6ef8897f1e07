// A project run's output, streamed from logs?follow=true and appended as it comes: the last MAX_LINES lines, kept
// scrolled to the end while the reader is there, "following…" while the stream is open.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, open, PROJECTS, url } from '../../api';
import { ErrorBox } from '../../components';
import { LogBuffer } from './projects-log-buffer';
import { getProjectRun, hasEnded } from './projects-api';

/** Lines kept on the page (and asked for at first: the server sends the last ones of a longer log). */
export const MAX_LINES = 10_000;
/** How long to wait before asking again for the output of a run that has not started yet. */
const RETRY_MS = 1500;
/** Closer than this to the end counts as "at the end": the view follows new output. */
const AT_END_PX = 24;

type State = 'waiting' | 'following' | 'ended' | 'none';

export function ProjectRunLogs({ runId }: { runId: string }) {
  const pre = useRef<HTMLPreElement>(null);
  const [state, setState] = useState<State>('waiting');
  const [dropped, setDropped] = useState(0);
  const [atEnd, setAtEnd] = useState(true);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const controller = new AbortController();
    const buffer = new LogBuffer(pre.current!, MAX_LINES);
    const show = (text: string) => {
      // Where the reader is now, not as the last scroll event said: a scroll up just before new text must hold.
      const follows = isAtEnd(pre.current!);
      buffer.append(text);
      setDropped(buffer.dropped);
      if (follows) pre.current!.scrollTop = pre.current!.scrollHeight;
    };
    follow(runId, controller.signal, show, setState).catch(e => {
      if (!controller.signal.aborted) {
        setError(e);
        setState('ended');
      }
    });
    return () => controller.abort();
  }, [runId]);

  function toEnd() {
    pre.current!.scrollTop = pre.current!.scrollHeight;
    setAtEnd(true);
  }

  return (
    <div class="project-logs">
      <div class="log-bar">
        {state === 'waiting' && <span class="muted" role="status">Waiting for the run to start…</span>}
        {state === 'following' && <span class="following" role="status">following…</span>}
        {state === 'ended' && <span class="muted" role="status">End of output.</span>}
        {state === 'none' && <span class="muted" role="status">This run has no output here.</span>}
        {dropped > 0 && (
          <span class="muted">Showing the last {MAX_LINES.toLocaleString()} lines ({dropped.toLocaleString()} earlier
            lines not shown).</span>
        )}
        <span class="spacer" />
        {!atEnd && <button type="button" onClick={toEnd}>Jump to end</button>}
        <a href={url(PROJECTS + 'logs', { run_id: runId })} target="_blank" rel="noopener">Full log</a>
      </div>
      <ErrorBox error={error} />
      <pre ref={pre} class="log-output" aria-label="Run output" tabIndex={0} onScroll={() => setAtEnd(isAtEnd(pre.current!))} />
    </div>
  );
}

function isAtEnd(el: HTMLElement): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight < AT_END_PX;
}

/**
 * Streams the run's output into `show` until the run has ended. Before the run has any output (not started yet) it
 * asks again every RETRY_MS; a stream that stops while the run still runs (a connection cut after minutes of
 * silence) is picked up where it stopped, with tail=0 (new output only).
 */
async function follow(runId: string, signal: AbortSignal, show: (text: string) => void,
  setState: (state: State) => void) {
  let tail = MAX_LINES;
  let seenOutput = false;
  for (;;) {
    const response = await open(PROJECTS + 'logs', { run_id: runId, tail, follow: true }, signal).catch(e => {
      if (e instanceof ApiError && e.status === 404) return null; // no output yet
      throw e;
    });
    if (response?.body) {
      setState('following');
      seenOutput = true;
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        show(decoder.decode(value, { stream: true }));
      }
      show(decoder.decode());
      tail = 0;
    }
    // The stream ended or there is no output yet: over if the run is.
    if (hasEnded((await getProjectRun(runId, signal)).status)) {
      setState(seenOutput ? 'ended' : 'none');
      return;
    }
    if (!seenOutput) setState('waiting');
    await delay(RETRY_MS, signal);
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}
