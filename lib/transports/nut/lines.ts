// Limits on what a NUT server may send. upsd's longest lines are a few hundred bytes and its
// longest answers (LIST VAR of a big three-phase PDU) about two thousand lines, so anything far
// beyond these is a broken or hostile server: without them an endless answer would grow the
// process until the machine runs out of memory.

/** Longest line we accept (characters). */
export const MAX_LINE = 64 * 1024;
/** Most lines in one LIST answer. */
export const MAX_LIST_LINES = 5000;
/** Most characters in one LIST answer. */
export const MAX_LIST_SIZE = 2 * 1024 * 1024;
/** How much of a bad line goes into an error message. */
export const TAIL = 200;

/** The last characters of what a server sent, with control characters made visible. */
export function tail(text: string, length = TAIL): string {
  const cut = text.length > length ? `…${text.slice(-length)}` : text;
  // eslint-disable-next-line no-control-regex
  return cut.replace(/[\x00-\x1f\x7f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A line that outgrew MAX_LINE before its newline came. */
export class LineTooLongError extends Error {
  constructor(readonly received: string) {
    super(`a line longer than ${MAX_LINE / 1024} KiB (it ends with "${tail(received)}")`);
  }
}

/** Splits a stream into lines (`\n`, an optional `\r` before it), refusing overlong ones. */
export class LineSplitter {
  private buffer = '';

  /** The lines this chunk completes; throws LineTooLongError when a line gets too long. */
  push(chunk: string): string[] {
    const text = this.buffer + chunk;
    const lines: string[] = [];
    let start = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
      if (newline - start > MAX_LINE) throw new LineTooLongError(text.slice(start, newline));
      const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      lines.push(text.slice(start, end));
      start = newline + 1;
    }
    this.buffer = start === 0 ? text : text.slice(start);
    if (this.buffer.length > MAX_LINE) {
      const received = this.buffer;
      this.buffer = '';
      throw new LineTooLongError(received);
    }
    return lines;
  }

  reset(): void {
    this.buffer = '';
  }
}
