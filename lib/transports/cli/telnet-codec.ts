// Minimal Telnet (RFC 854/1143) for power-manager consoles: strip option negotiation from the
// stream wherever it falls (also split across packets), accept the server's ECHO and
// SUPPRESS-GO-AHEAD, refuse every other option, and escape what we send. Plain TCP devices
// (vpcd, raw serial servers) never negotiate and pass through untouched, since we never start
// a negotiation ourselves.

const IAC = 255;
const DONT = 254;
const DO = 253;
const WONT = 252;
const WILL = 251;
const SB = 250;
const SE = 240;
const ECHO = 1;
const SGA = 3;

/** Options we let the server perform. */
const ACCEPTED = new Set([ECHO, SGA]);

type State = 'data' | 'iac' | 'option' | 'sb' | 'sb-iac';

export class TelnetCodec {
  private state: State = 'data';
  private command = 0;
  /** Replies already sent, so a repeated request does not start a loop (RFC 1143). */
  private readonly answered = new Set<string>();

  /**
   * Split incoming bytes into data and the replies to send back. Runs of data between commands
   * are passed on as slices of the chunk, not byte by byte: a device may send megabytes.
   */
  decode(chunk: Buffer): { data: Buffer; reply: Buffer | undefined } {
    const data: Buffer[] = [];
    const reply: number[] = [];
    let position = 0;
    while (position < chunk.length) {
      if (this.state === 'data') {
        const iac = chunk.indexOf(IAC, position);
        const end = iac < 0 ? chunk.length : iac;
        if (end > position) data.push(chunk.subarray(position, end));
        if (iac < 0) break;
        this.state = 'iac';
        position = iac + 1;
        continue;
      }
      const byte = chunk[position];
      position += 1;
      switch (this.state) {
        case 'iac':
          if (byte === IAC) {
            data.push(Buffer.of(IAC));
            this.state = 'data';
          } else if (byte === WILL || byte === WONT || byte === DO || byte === DONT) {
            this.command = byte;
            this.state = 'option';
          } else if (byte === SB) {
            this.state = 'sb';
          } else {
            // NOP, GA, AYT ...: two-byte commands with nothing for us to do.
            this.state = 'data';
          }
          break;
        case 'option':
          reply.push(...this.answer(this.command, byte));
          this.state = 'data';
          break;
        case 'sb':
          if (byte === IAC) this.state = 'sb-iac';
          break;
        case 'sb-iac':
          this.state = byte === SE ? 'data' : 'sb';
          break;
      }
    }
    return { data: data.length === 1 ? data[0] : Buffer.concat(data), reply: reply.length ? Buffer.from(reply) : undefined };
  }

  /** Bytes to send for this text: IAC doubled, a lone CR sent as CR NUL (NVT). */
  encode(text: string): Buffer {
    const out: number[] = [];
    const bytes = Buffer.from(text, 'latin1');
    bytes.forEach((byte, position) => {
      out.push(byte);
      if (byte === IAC) out.push(IAC);
      if (byte === 13 && bytes[position + 1] !== 10) out.push(0);
    });
    return Buffer.from(out);
  }

  private answer(command: number, option: number): number[] {
    let response: number;
    if (command === WILL) response = ACCEPTED.has(option) ? DO : DONT;
    else if (command === DO) response = WONT;
    else return []; // WONT/DONT: we never enabled anything, so nothing changes.
    const key = `${response}:${option}`;
    if (this.answered.has(key)) return [];
    this.answered.add(key);
    return [IAC, response, option];
  }
}
