// An artifact browser: the tree of a run's (or a logged model's) files, each directory listed when first opened,
// with sizes and download links, and a preview of the selected file beside it.
import { useState } from 'preact/hooks';
import { ErrorBox } from '../components';
import { bytes } from '../format';
import type { FileInfo } from '../mlflow';
import { type ArtifactSource, baseName, parentDirs } from './artifact-source';
import { ArtifactPreview } from './artifact-preview';
import { type ArtifactTree, useArtifactTree } from './use-artifact-tree';
import './artifacts.css';

/** A directory shows this many entries at first, and this many more on each "Show more". */
const PAGE = 500;

interface Props {
  source: ArtifactSource;
  /** The selected file's path ('' for none), and what selecting another does. */
  selected: string;
  onSelect(path: string): void;
}

export function ArtifactBrowser(props: Props) {
  return <Browser key={props.source.id} {...props} />;
}

function Browser({ source, selected, onSelect }: Props) {
  const tree = useArtifactTree(source, parentDirs(selected));
  return (
    <div class="artifact-browser">
      <div class="artifact-tree" aria-label="Artifact files">
        <DirectoryEntries tree={tree} dir="" depth={0} source={source} selected={selected} onSelect={onSelect} />
      </div>
      <div class="artifact-preview">
        <SelectedFile tree={tree} source={source} path={selected} />
      </div>
    </div>
  );
}

/** The selected file's preview, once its directory's listing (which tells its size) is in. */
function SelectedFile({ tree, source, path }: { tree: ArtifactTree; source: ArtifactSource; path: string }) {
  if (!path) return <p class="muted">Select a file to preview it.</p>;
  const dirs = parentDirs(path);
  const listing = tree.listings.get(dirs[dirs.length - 1] ?? '');
  if (!listing?.files) return null;
  const file = listing.files.find(f => f.path === path && !f.is_dir);
  if (!file) return <p class="muted">There is no file <span class="mono">{path}</span>.</p>;
  return <ArtifactPreview key={`${source.id}|${path}`} source={source} path={path}
    size={file.file_size === undefined ? undefined : Number(file.file_size)} />;
}

interface LevelProps extends Props { tree: ArtifactTree; dir: string; depth: number }

function DirectoryEntries({ tree, dir, depth, ...props }: LevelProps) {
  const [shown, setShown] = useState(PAGE);
  const listing = tree.listings.get(dir);
  const indent = { paddingLeft: `${8 + depth * 18}px` };
  if (!listing) return <div class="artifact-row muted" style={indent}>Loading…</div>;
  if (listing.error) return <div style={indent}><ErrorBox error={listing.error} /></div>;
  const files = listing.files!;
  if (!files.length) return <div class="artifact-row muted" style={indent}>{dir ? 'Empty directory' : 'No artifacts'}</div>;
  return (
    <>
      {files.slice(0, shown).map(file => file.is_dir
        ? <Directory key={file.path} file={file} tree={tree} depth={depth} {...props} />
        : <File key={file.path} file={file} depth={depth} {...props} />)}
      {files.length > shown && (
        <div class="artifact-row" style={indent}>
          <button type="button" class="link more" onClick={() => setShown(shown + PAGE)}>
            Show more ({files.length - shown} not shown)</button>
        </div>
      )}
    </>
  );
}

function Directory({ file, tree, depth, ...props }: Props & { file: FileInfo; tree: ArtifactTree; depth: number }) {
  const open = tree.open.has(file.path);
  return (
    <>
      <div class="artifact-row dir" style={{ paddingLeft: `${8 + depth * 18}px` }}>
        <button type="button" class="link name" aria-expanded={open} onClick={() => tree.toggle(file.path)}>
          <span class="caret" aria-hidden="true">{open ? '▾' : '▸'}</span>{baseName(file.path)}
        </button>
      </div>
      {open && <DirectoryEntries tree={tree} dir={file.path} depth={depth + 1} {...props} />}
    </>
  );
}

function File({ file, depth, source, selected, onSelect }: Props & { file: FileInfo; depth: number }) {
  const isSelected = file.path === selected;
  return (
    <div class={`artifact-row file${isSelected ? ' selected' : ''}`} style={{ paddingLeft: `${8 + depth * 18 + 14}px` }}>
      <button type="button" class="link name" title={file.path} aria-current={isSelected}
        onClick={() => onSelect(file.path)}>
        {baseName(file.path)}</button>
      <span class="size">{bytes(file.file_size)}</span>
      <a class="download" href={source.url(file.path)} download={baseName(file.path)}
        aria-label={`Download ${file.path}`} title={`Download ${file.path}`}>⤓</a>
    </div>
  );
}
