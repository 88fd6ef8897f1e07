// Fetching an artifact for a preview: the first bytes of a text file (the download stops there) or a whole image.
import { open } from '../api';

/** Text previews read this much at most. */
export const TEXT_LIMIT = 1024 * 1024;

export interface TextStart { text: string; truncated: boolean }

/** The file's first `limit` bytes as UTF-8 text, and whether there was more. */
export async function readTextStart(url: string, signal: AbortSignal, limit = TEXT_LIMIT): Promise<TextStart> {
  const response = await open(url, undefined, signal);
  const reader = response.body!.getReader();
  const bytes = new Uint8Array(limit);
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = limit - size;
    bytes.set(value.subarray(0, room), size);
    size += Math.min(room, value.length);
    if (value.length > room) {
      truncated = true;
      await reader.cancel();
      break;
    }
  }
  // A truncated text may end inside a character: stream mode leaves that partial character out.
  return { text: new TextDecoder().decode(bytes.subarray(0, size), { stream: truncated }), truncated };
}

/** The whole file as a blob of the given type. */
export async function readBlob(url: string, type: string, signal: AbortSignal): Promise<Blob> {
  const blob = await (await open(url, undefined, signal)).blob();
  return new Blob([blob], { type });
}
