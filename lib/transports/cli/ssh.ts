import { createHash } from 'crypto';
import { Client, utils, type AnyAuthMethod, type AuthenticationType, type ClientChannel, type ParsedKey, type Prompt } from 'ssh2';
import { DeviceConfigError, DeviceUnreachableError } from '../../device/errors';
import { CliChannel } from './channel';

/**
 * The host key a driver trusts, kept for the life of the config node: pinned in the config, or
 * learned on the first connection (trust on first use) and checked on every reconnect after.
 */
export interface HostKeyTrust {
  /** `SHA256:...` as OpenSSH prints it; set from the config, or by the first connection. */
  expected?: string;
  /** Whether `expected` came from the config (else it was learned). */
  pinned: boolean;
  /** The fingerprint the device showed last. */
  seen?: string;
}

export interface SshLogin {
  username?: string;
  password?: string;
  /** OpenSSH or PEM private key text. */
  privateKey?: string;
  passphrase?: string;
}

/**
 * Keyboard-interactive rounds answered before we give up: a password prompt, perhaps a second
 * one (a PAM stack that asks twice); a server that keeps asking will not get the password for ever.
 */
export const MAX_KEYBOARD_ROUNDS = 3;
/** SSH keepalives, as the Telnet socket's TCP keepalive: a vanished device is noticed within a few minutes. */
const KEEPALIVE_INTERVAL = 30000;
const KEEPALIVE_COUNT = 3;

/** The SHA256 fingerprint of a host key in OpenSSH's notation (`SHA256:` and unpadded base64). */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/**
 * A power manager's command line over SSH: an interactive shell with a PTY, so that the device's
 * CLI shows its banner and prompts as over Telnet (and may still ask for its own username and
 * password after the SSH login, which the session answers). The host key is checked before any
 * credential is sent.
 */
export class SshChannel extends CliChannel {
  readonly address: string;
  readonly outlivesSession = false;
  override readonly startsByItself = true;
  private client?: Client;
  private stream?: ClientChannel;
  private closing = false;

  constructor(private readonly host: string, private readonly port: number, private readonly login: SshLogin,
    private readonly trust: HostKeyTrust, private readonly handshakeTime: number) {
    super();
    this.address = `${host}:${port}`;
  }

  open(timeout: number): Promise<void> {
    const { username } = this.login;
    if (!username) return Promise.reject(new DeviceConfigError(`${this.address}: SSH needs a username: set one in the device config`));
    const key = this.parsedKey();
    if (key instanceof Error) return Promise.reject(key);
    const wait = Math.max(timeout, this.handshakeTime);
    return new Promise((resolve, reject) => {
      const client = new Client();
      this.client = client;
      let settled = false;
      let ready = false;
      let refusal: Error | undefined;
      let lastError: Error & { level?: string; code?: string } | undefined;
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        client.destroy();
        reject(error);
      };
      const timer = setTimeout(() => fail(new DeviceUnreachableError(`no SSH login at ${this.address} within ${wait} ms `
        + '(is the device on, the port right, and SSH enabled on it?)')), wait);
      client.on('error', (error: Error & { level?: string; code?: string }) => {
        lastError = error;
        if (!ready) fail(refusal ?? this.connectError(error));
      });
      client.on('close', () => {
        clearTimeout(timer);
        if (!ready) {
          fail(refusal ?? new DeviceUnreachableError(`${this.address} closed the SSH connection during the login`));
          return;
        }
        let reason = lastError ? `SSH connection to ${this.address} lost (${lastError.code ?? lastError.message})`
          : `${this.address} closed the SSH connection`;
        if (this.closing) reason = `the SSH connection to ${this.address} was closed (the node is closing)`;
        this.emitClose(reason, this.closing);
      });
      client.on('ready', () => {
        ready = true;
        client.shell({ term: 'vt100', cols: 80, rows: 24 }, (error, stream) => {
          if (error) {
            fail(new DeviceUnreachableError(`${this.address} refused an SSH shell: ${error.message}`));
            return;
          }
          if (settled) {
            stream.close();
            return;
          }
          settled = true;
          clearTimeout(timer);
          this.stream = stream;
          const forward = (data: Buffer): void => { this.emit('data', data); };
          stream.on('data', forward);
          stream.stderr.on('data', forward);
          // The device's CLI ended (QUIT, its idle time): the connection has nothing more to carry.
          stream.on('close', () => client.end());
          resolve();
        });
      });
      client.connect({
        host: this.host,
        port: this.port,
        username,
        readyTimeout: wait,
        keepaliveInterval: KEEPALIVE_INTERVAL,
        keepaliveCountMax: KEEPALIVE_COUNT,
        hostVerifier: (hostKey: Buffer) => {
          refusal = this.checkHostKey(hostKeyFingerprint(hostKey));
          return !refusal;
        },
        authHandler: this.authHandler(username, key, () => fail(new DeviceConfigError(`${this.address} kept asking `
          + `keyboard-interactive questions (more than ${MAX_KEYBOARD_ROUNDS} rounds): the login was given up`))),
      });
    });
  }

  write(text: string): Promise<void> {
    const stream = this.stream;
    if (!stream || !stream.writable || this.isClosed) {
      return Promise.reject(new DeviceUnreachableError(`SSH connection to ${this.address} is closed`));
    }
    return new Promise((resolve, reject) => {
      stream.write(Buffer.from(text, 'latin1'), (error?: Error | null) => {
        if (error) reject(new DeviceUnreachableError(`cannot send to ${this.address}: ${error.message}`));
        else resolve();
      });
    });
  }

  close(): Promise<void> {
    const client = this.client;
    this.closing = true;
    if (!client || this.isClosed) return Promise.resolve();
    return new Promise((resolve) => {
      // A device that never answers the goodbye is cut off.
      const timer = setTimeout(() => client.destroy(), 300);
      client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      client.end();
    });
  }

  /** The refusal for a host key other than the trusted one; a first key is learned and trusted from now on. */
  private checkHostKey(fingerprint: string): Error | undefined {
    const trust = this.trust;
    trust.seen = fingerprint;
    if (!trust.expected) {
      trust.expected = fingerprint;
      return undefined;
    }
    if (trust.expected === fingerprint) return undefined;
    const learned = trust.pinned ? '' : ' (the key was learned on the first connection: redeploy the device config to learn it again)';
    return new DeviceConfigError(`${this.address}: SSH host key changed: expected ${trust.expected}, got ${fingerprint}; `
      + `if the device was replaced, clear or update the pinned key${learned}`);
  }

  /** The private key, read once per connection; a key we cannot read is a config mistake, its text never quoted. */
  private parsedKey(): ParsedKey | undefined | Error {
    const { privateKey, passphrase } = this.login;
    if (!privateKey?.trim()) return undefined;
    const parsed = utils.parseKey(privateKey.trim(), passphrase || undefined);
    if (parsed instanceof Error) {
      const encrypted = /encrypted|passphrase|bad decrypt/i.test(parsed.message);
      return new DeviceConfigError(`the SSH private key in the device config cannot be used: ${encrypted
        ? (passphrase ? 'wrong passphrase' : 'it is encrypted and no passphrase is set')
        : 'not an OpenSSH or PEM private key'}`);
    }
    return Array.isArray(parsed) ? parsed[0] : parsed;
  }

  /**
   * The key first (if there is one), then the password, then keyboard-interactive answered with
   * the password: each only when the server still offers it, and each once.
   */
  private authHandler(username: string, key: ParsedKey | undefined, askedTooOften: () => void) {
    const { password } = this.login;
    const methods: AnyAuthMethod[] = [];
    if (key) methods.push({ type: 'publickey', username, key });
    if (password) {
      methods.push({ type: 'password', username, password });
      let rounds = 0;
      methods.push({
        type: 'keyboard-interactive',
        username,
        prompt: (_name: string, _instructions: string, _lang: string, prompts: Prompt[], finish: (answers: string[]) => void) => {
          rounds += 1;
          // A server that keeps asking gets no more answers (the password least of all): we hang up.
          if (rounds > MAX_KEYBOARD_ROUNDS) askedTooOften();
          else finish(prompts.map(() => password));
        },
      });
    }
    return (left: AuthenticationType[] | null, _partial: boolean | null, next: (method: AnyAuthMethod) => void): void => {
      while (methods.length) {
        const method = methods.shift()!;
        if (!left || left.includes(method.type)) {
          next(method);
          return;
        }
      }
      // No method left: ssh2 then fails with a client-authentication error.
      next(false as unknown as AnyAuthMethod);
    };
  }

  private connectError(error: Error & { level?: string; code?: string }): Error {
    const user = this.login.username;
    if (error.level === 'client-authentication') {
      const tried = [this.login.privateKey?.trim() ? 'key' : '', this.login.password ? 'password' : ''].filter(Boolean).join(' and ');
      return new DeviceConfigError(`${this.address} refused the SSH login for user "${user}"${tried ? ` (tried ${tried})` : ' (no password '
        + 'or private key set)'}: check the username, password and private key in the device config`);
    }
    switch (error.code) {
      case 'ECONNREFUSED':
        return new DeviceUnreachableError(`${this.address} refused the connection (is the device on, and is SSH on this port?)`, error);
      case 'ENOTFOUND':
        return new DeviceConfigError(`host "${this.host}" not found: check the host in the device config`);
      default:
        return new DeviceUnreachableError(`SSH to ${this.address} failed: ${error.code ?? error.message}`, error);
    }
  }
}
