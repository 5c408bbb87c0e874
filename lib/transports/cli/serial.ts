import { SerialPort } from 'serialport';
import { DeviceConfigError, DeviceUnreachableError } from '../../device/errors';
import { CliChannel } from './channel';

/** The line speeds a power manager's console offers (the Sentry power manager: 300-38400, factory 9600). */
export const BAUD_RATES = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];

export interface SerialSettings {
  path: string;
  baudRate: number;
  /** Assert DTR: the Sentry power manager wants DTR (or DSR) before it talks. */
  dtr: boolean;
}

/**
 * A serial line, 8N1, no flow control. Prompts have no line end, so the raw byte stream goes to
 * the expect engine (a ReadlineParser would never hand over a prompt).
 */
export class SerialChannel extends CliChannel {
  readonly address: string;
  readonly outlivesSession = true;
  private port?: SerialPort;
  private closing = false;

  constructor(private readonly settings: SerialSettings) {
    super();
    this.address = settings.path;
  }

  open(): Promise<void> {
    const { path, baudRate } = this.settings;
    const port = new SerialPort({
      path, baudRate, dataBits: 8, parity: 'none', stopBits: 1, rtscts: false, autoOpen: false,
    });
    this.port = port;
    // Errors also arrive as events (a write to an unplugged adapter): without a listener they would crash Node-RED.
    port.on('error', () => undefined);
    port.on('data', (data: Buffer) => this.emit('data', data));
    port.on('close', (error?: Error & { disconnected?: boolean }) => {
      const reason = error?.disconnected ? `serial port ${path} was disconnected (adapter unplugged?)` : `serial port ${path} closed`;
      this.emitClose(reason, this.closing && !error?.disconnected);
    });
    return new Promise((resolve, reject) => {
      port.open((error) => {
        if (error) {
          reject(openError(path, error));
          return;
        }
        port.set({ dtr: this.settings.dtr }, () => {
          // A pty or a USB adapter without modem lines refuses the ioctl; the line still works.
          resolve();
        });
      });
    });
  }

  write(text: string): Promise<void> {
    const port = this.port;
    if (!port || !port.isOpen) return Promise.reject(new DeviceUnreachableError(`serial port ${this.address} is closed`));
    return new Promise((resolve, reject) => {
      port.write(Buffer.from(text, 'latin1'), (error) => {
        if (error) reject(new DeviceUnreachableError(`cannot write to serial port ${this.address}: ${error.message}`));
        else resolve();
      });
    });
  }

  close(): Promise<void> {
    const port = this.port;
    this.closing = true;
    if (!port || !port.isOpen) return Promise.resolve();
    return new Promise((resolve) => {
      port.close(() => resolve());
    });
  }
}

function openError(path: string, error: Error): Error {
  const text = error.message;
  if (/No such file|ENOENT/i.test(text)) {
    return new DeviceUnreachableError(`serial port ${path} not found (adapter unplugged, or a wrong path in the device config?)`, error);
  }
  if (/Cannot lock port|Resource temporarily unavailable|EBUSY/i.test(text)) {
    return new DeviceUnreachableError(`serial port ${path} is in use by another program (close the terminal or other flow using it)`, error);
  }
  if (/Permission denied|EACCES/i.test(text)) {
    return new DeviceConfigError(`no permission to open serial port ${path}: add the user running Node-RED to the dialout group`);
  }
  return new DeviceUnreachableError(`cannot open serial port ${path}: ${text}`, error);
}
