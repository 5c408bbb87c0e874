import { EventEmitter } from 'events';

/**
 * A byte pipe to a command-line device: a Telnet connection, an SSH shell or a serial line. The expect engine
 * and the session run unchanged over either. Events: `data` (Buffer, Telnet options already
 * removed) and `close` (reason, expected: whether we closed it ourselves). `close` comes once.
 */
export abstract class CliChannel extends EventEmitter {
  abstract readonly address: string;
  /**
   * The link outlives a session (a serial line: the device just waits for Enter again). A
   * network link is closed by the device when its session ends.
   */
  abstract readonly outlivesSession: boolean;
  /**
   * The device's command line starts by itself when the link opens (an SSH shell: its banner or
   * prompt comes unasked), so a dialect's Enter to wake it is not sent at once: at a prompt
   * already shown it would only bring a second one, taken for the answer to the first command.
   */
  readonly startsByItself: boolean = false;
  /** Open the link; rejects with a DeviceUnreachableError or DeviceConfigError. */
  abstract open(timeout: number): Promise<void>;
  abstract write(text: string): Promise<void>;
  /** Close the link; never rejects. */
  abstract close(): Promise<void>;

  private ended = false;

  protected emitClose(reason: string, expected: boolean): void {
    if (this.ended) return;
    this.ended = true;
    this.emit('close', reason, expected);
  }

  get isClosed(): boolean {
    return this.ended;
  }
}
