// The preview of one artifact, by its kind: an image (from a blob URL, so an SVG never enters the page's DOM), text,
// pretty-printed JSON, YAML as text, a CSV/TSV table, or HTML in a sandboxed frame where no script runs. Text is
// read up to TEXT_LIMIT; anything else is only offered for download.
import { useEffect, useState } from 'preact/hooks';
import { ErrorBox, Loading } from '../components';
import { bytes } from '../format';
import { type ArtifactSource, baseName } from './artifact-source';
import { DelimitedTable } from './delimited-table';
import { fileKind, imageType } from './file-kinds';
import { readBlob, readTextStart, TEXT_LIMIT, type TextStart } from './read-artifact';

/** Images larger than this are not fetched for a preview. */
const IMAGE_LIMIT = 32 * 1024 * 1024;

interface Props { source: ArtifactSource; path: string; size?: number }

export function ArtifactPreview({ source, path, size }: Props) {
  const name = baseName(path);
  const kind = fileKind(name);
  return (
    <div class="preview" data-kind={kind}>
      <header>
        <span class="mono path" title={path}>{path}</span>
        {size !== undefined && <span class="muted">{bytes(size)}</span>}
        <a class="button" href={source.url(path)} download={name}>Download</a>
      </header>
      <div class="preview-body">
        {kind === 'image' ? <ImagePreview url={source.url(path)} name={name} size={size} />
          : kind === 'binary' ? <p class="muted">No preview for this type of file; download it instead.</p>
          : <TextPreview url={source.url(path)} name={name} kind={kind} size={size} />}
      </div>
    </div>
  );
}

function TooLarge({ size, limit }: { size: number; limit: number }) {
  return <p class="muted">Too large to preview ({bytes(size)}; previews go up to {bytes(limit)}). Download it instead.</p>;
}

function ImagePreview({ url, name, size }: { url: string; name: string; size?: number }) {
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const tooLarge = size !== undefined && size > IMAGE_LIMIT;
  useEffect(() => {
    if (tooLarge) return;
    const abort = new AbortController();
    let objectUrl = '';
    readBlob(url, imageType(name), abort.signal).then(blob => {
      objectUrl = URL.createObjectURL(blob);
      setSrc(objectUrl);
    }, e => { if (!abort.signal.aborted) setError(e); });
    return () => {
      abort.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url]);
  if (tooLarge) return <TooLarge size={size} limit={IMAGE_LIMIT} />;
  if (error) return <ErrorBox error={error} />;
  return src ? <img class="image" src={src} alt={name} /> : <Loading />;
}

function TextPreview({ url, name, kind, size }: { url: string; name: string; kind: string; size?: number }) {
  const [content, setContent] = useState<TextStart | null>(null);
  const [error, setError] = useState<unknown>(null);
  // An HTML page cut short would show as something it is not: it is previewed whole or not at all.
  const tooLarge = kind === 'html' && size !== undefined && size > TEXT_LIMIT;
  useEffect(() => {
    if (tooLarge) return;
    const abort = new AbortController();
    readTextStart(url, abort.signal).then(setContent, e => { if (!abort.signal.aborted) setError(e); });
    return () => abort.abort();
  }, [url]);
  if (tooLarge) return <TooLarge size={size} limit={TEXT_LIMIT} />;
  if (error) return <ErrorBox error={error} />;
  if (!content) return <Loading />;
  if (kind === 'html' && content.truncated) return <TooLarge size={size ?? TEXT_LIMIT} limit={TEXT_LIMIT} />;
  const note = content.truncated && (
    <p class="muted truncated">Showing the first {bytes(TEXT_LIMIT)}{size !== undefined ? ` of ${bytes(size)}` : ''}.</p>);
  switch (kind) {
    case 'html':
      return <iframe class="html" sandbox="" srcdoc={content.text} title={`Preview of ${name}`} />;
    case 'csv':
    case 'tsv':
      return <>{note}<DelimitedTable text={content.text} delimiter={kind === 'csv' ? ',' : '\t'} complete={!content.truncated} /></>;
    case 'json':
      return <>{note}<pre class="text">{content.truncated ? content.text : prettyJson(content.text)}</pre></>;
    default:
      return <>{note}<pre class="text">{content.text}</pre></>;
  }
}

/** The JSON indented, or the text as it is when it does not parse. */
function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
