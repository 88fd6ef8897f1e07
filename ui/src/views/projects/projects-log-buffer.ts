// A run's output kept in a <pre> as text nodes, appended as it streams in, with only the last `maxLines` lines
// kept: older text is cut off the front, so a long log never grows the page without bound.

/** Text nodes grow up to this size before a new one is started (appending to a short node is cheap). */
const NODE_CHARS = 16 * 1024;

export class LogBuffer {
  /** Complete lines (newlines) held now. */
  private lines = 0;
  /** Lines cut off the front so far. */
  dropped = 0;

  constructor(private readonly pre: HTMLElement, private readonly maxLines: number) {}

  append(text: string) {
    if (!text) return;
    const last = this.pre.lastChild;
    if (last instanceof Text && last.length < NODE_CHARS) last.appendData(text);
    else this.pre.appendChild(document.createTextNode(text));
    this.lines += newlines(text);
    this.trim();
  }

  private trim() {
    while (this.lines > this.maxLines && this.pre.firstChild instanceof Text) {
      const first = this.pre.firstChild;
      const excess = this.lines - this.maxLines;
      const cut = afterNewline(first.data, excess);
      if (cut < 0) { // all of this node goes
        const gone = newlines(first.data);
        first.remove();
        this.lines -= gone;
        this.dropped += gone;
      } else {
        first.deleteData(0, cut);
        this.lines -= excess;
        this.dropped += excess;
      }
    }
  }
}

function newlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** The index just after the n-th newline of text, or -1 if it has fewer. */
function afterNewline(text: string, n: number): number {
  let i = -1;
  for (let k = 0; k < n; k++) {
    i = text.indexOf('\n', i + 1);
    if (i < 0) return -1;
  }
  return i + 1;
}
