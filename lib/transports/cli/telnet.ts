import net from 'net';
import { DeviceConfigError, DeviceUnreachableError } from '../../device/errors';
import { CliChannel } from './channel';
import { TelnetCodec } from './telnet-codec';

/**
 * Telnet to a power manager (the Sentry power manager's NIC answers its command line on port 2001). A raw
 * socket with our own option handling rather than telnet-client: that library negotiates only
 * when a packet starts with IAC, matches prompts per packet (a prompt split over two packets is
 * missed), answers pagers with a space, and rejects commands that print nothing; the part we
 * would keep (socket plus refusing options) is the codec next door.
 */
export class TelnetChannel extends CliChannel {
  readonly address: string;
  readonly outlivesSession = false;
  private socket?: net.Socket;
  private readonly codec = new TelnetCodec();
  private closing = false;

  constructor(private readonly host: string, private readonly port: number) {
    super();
    this.address = `${host}:${port}`;
  }

  open(timeout: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.host, port: this.port });
      this.socket = socket;
      let connected = false;
      let lastError: NodeJS.ErrnoException | undefined;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new DeviceUnreachableError(`no answer from ${this.address} within ${timeout} ms (is the device on and the port right?)`));
      }, timeout);
      socket.once('connect', () => {
        connected = true;
        clearTimeout(timer);
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 30000);
        resolve();
      });
      socket.on('data', (chunk: Buffer) => {
        const { data, reply } = this.codec.decode(chunk);
        if (reply && !socket.destroyed) socket.write(reply);
        if (data.length) this.emit('data', data);
      });
      socket.on('error', (error: NodeJS.ErrnoException) => {
        lastError = error;
        if (connected) return; // 'close' follows and reports it
        clearTimeout(timer);
        reject(connectError(this.address, this.host, error));
      });
      socket.on('close', () => {
        clearTimeout(timer);
        let reason = lastError ? `connection to ${this.address} lost (${lastError.code ?? lastError.message})`
          : `${this.address} closed the connection`;
        if (this.closing) reason = `the connection to ${this.address} was closed (the node is closing)`;
        if (connected) this.emitClose(reason, this.closing);
      });
    });
  }

  write(text: string): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.destroyed || !socket.writable) {
      return Promise.reject(new DeviceUnreachableError(`connection to ${this.address} is closed`));
    }
    return new Promise((resolve, reject) => {
      socket.write(this.codec.encode(text), (error) => {
        if (error) reject(new DeviceUnreachableError(`cannot send to ${this.address}: ${error.message}`));
        else resolve();
      });
    });
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.closing = true;
    if (!socket || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => socket.destroy(), 300);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end();
    });
  }
}

function connectError(address: string, host: string, error: NodeJS.ErrnoException): Error {
  switch (error.code) {
    case 'ECONNREFUSED':
      return new DeviceUnreachableError(`${address} refused the connection (is the device on, and is its command line on this port?)`, error);
    case 'ENOTFOUND':
      return new DeviceConfigError(`host "${host}" not found: check the host in the device config`);
    default:
      return new DeviceUnreachableError(`cannot connect to ${address}: ${error.code ?? error.message}`, error);
  }
}
