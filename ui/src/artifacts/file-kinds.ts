// What preview a file gets, by its name: images, text, JSON, YAML, CSV/TSV tables and HTML; anything else is only
// offered for download.

export type FileKind = 'image' | 'text' | 'json' | 'yaml' | 'csv' | 'tsv' | 'html' | 'binary';

const BY_EXTENSION: Record<string, FileKind> = {
  png: 'image', jpg: 'image', jpeg: 'image', gif: 'image', svg: 'image', webp: 'image', bmp: 'image', avif: 'image',
  json: 'json', ipynb: 'json',
  yaml: 'yaml', yml: 'yaml',
  csv: 'csv', tsv: 'tsv',
  html: 'html', htm: 'html',
};

const TEXT_EXTENSIONS = ('txt log md markdown rst py pyi sh bash zsh r java scala kt js mjs ts tsx jsx c h cc cpp hpp '
  + 'cs go rs rb php pl lua sql ini cfg conf toml properties xml env jsonl ndjson tex diff patch gitignore '
  + 'dockerfile requirements lock out err').split(' ');
for (const extension of TEXT_EXTENSIONS) BY_EXTENSION[extension] = 'text';

/** Files MLflow and projects write without an extension. */
const BY_NAME: Record<string, FileKind> = {
  MLmodel: 'yaml', MLproject: 'yaml', Dockerfile: 'text', Makefile: 'text', LICENSE: 'text', README: 'text',
};

const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', svg: 'image/svg+xml',
  webp: 'image/webp', bmp: 'image/bmp', avif: 'image/avif',
};

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function fileKind(name: string): FileKind {
  return BY_NAME[name] ?? BY_EXTENSION[extension(name)] ?? 'binary';
}

/** The MIME type an image is shown with (the server may send it as a download of another type). */
export function imageType(name: string): string {
  return IMAGE_TYPES[extension(name)] ?? 'application/octet-stream';
}
