// The device side of a console line: characters in, lines or single keys out, echo as a
// terminal-oriented device does it (typed characters echoed, passwords not). Shared by the
// simulated power manager and Switched CDU, over TCP and over a pty.

export interface TerminalLink {
  write(text: string): void;
  /**
   * The session is over. Over the network the connection closes; on a serial line the line
   * stays and the device waits for a carriage return again.
   */
  end(): void;
  /** A fault for tests: the link breaks in the middle of a command. */
  drop(): void;
  /** Characters written but not yet sent (a device waits for its line to drain). */
  backlog(): number;
  readonly kind: 'tcp' | 'serial';
}

export type InputMode =
  /** Nothing shown yet: waiting for the carriage return that starts a session. */
  | { kind: 'wake' }
  | { kind: 'line'; echo: boolean }
  | { kind: 'key' }
  /** Input is ignored (the device is busy answering, or between sessions). */
  | { kind: 'ignore' };

export interface TerminalHandler {
  wake(): void;
  line(text: string): void;
  key(key: string): void;
}

/** Turns raw input into wake-ups, lines and keys for the current mode. */
export class LineDiscipline {
  mode: InputMode = { kind: 'wake' };
  private current = '';
  private lastWasCr = false;

  constructor(private readonly link: TerminalLink, private readonly handler: TerminalHandler) {}

  input(text: string): void {
    for (const char of text) {
      const afterCr = this.lastWasCr;
      this.lastWasCr = char === '\r';
      // CR LF and CR NUL are one line end.
      if (afterCr && (char === '\n' || char === '\0')) continue;
      this.char(char);
    }
  }

  private char(char: string): void {
    const mode = this.mode;
    const isEnd = char === '\r' || char === '\n';
    switch (mode.kind) {
      case 'ignore':
        return;
      case 'wake':
        if (isEnd) this.handler.wake();
        return;
      case 'key':
        if (!isEnd && char >= ' ') this.handler.key(char);
        return;
      case 'line':
        if (isEnd) {
          const line = this.current;
          this.current = '';
          this.link.write('\r\n');
          this.handler.line(line);
        } else if (char === '\b' || char === '\x7f') {
          if (this.current) {
            this.current = this.current.slice(0, -1);
            if (mode.echo) this.link.write('\b \b');
          }
        } else if (char >= ' ') {
          this.current += char;
          if (mode.echo) this.link.write(char);
        }
    }
  }

  /** Forget a half-typed line (the session ended). */
  reset(): void {
    this.current = '';
  }
}
