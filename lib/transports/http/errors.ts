import { DeviceCommandError, DeviceConfigError, DeviceUnreachableError } from '../../device/errors';
import { deviceWords } from '../device-words';
import type { HttpAnswer } from './exchange';

/** Statuses a device answers while it is doing something else (a cycle, a script, a save). */
const BUSY = new Set([409, 423, 503]);

/** Node's codes for a certificate it does not trust. */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'INVALID_CA',
]);

/** What went wrong with a request, for a message: the device's words, short, never the body whole. */
function said(answer: HttpAnswer): string {
  const text = answer.body.replace(/<[^>]*>/g, ' ').trim();
  return text ? `: ${deviceWords(text)}` : '';
}

/**
 * A non-2xx answer as a clear error. 401 names the user (never the password); 403 on a
 * state-changing request names the header the device wants; busy is said to be busy.
 */
export function statusError(answer: HttpAnswer, what: string, context: { username?: string; writeHeaders: Record<string, string>; write: boolean }): Error {
  const status = `HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`;
  if (answer.status === 401) {
    return new DeviceConfigError(context.username
      ? `${what} refused the user "${context.username}" (${status}): check the user and password in the device config`
      : `${what} needs a user and password (${status}): set them in the device config`);
  }
  if (answer.status === 403) {
    const guard = Object.entries(context.writeHeaders).filter(([name]) => name.toLowerCase() !== 'accept');
    const sent = guard.map(([name, value]) => `"${name}: ${value}"`).join(', ');
    const hint = !context.write ? 'the user may not read this'
      : sent ? `the device wants its CSRF header on state-changing requests (sent: ${sent}), or the user may not switch outlets`
        : 'the device may want a CSRF header (none sent), or the user may not switch outlets';
    return new DeviceCommandError(`${what} refused the request (${status}): ${hint}${said(answer)}`);
  }
  if (BUSY.has(answer.status)) {
    return new DeviceCommandError(`${what}: the device is busy (${status})${said(answer) || ': it gave no reason'}; try again later`);
  }
  if (answer.status === 404) {
    return new DeviceConfigError(`${what} does not exist on the device (${status}): is its API enabled, and is the profile right?${said(answer)}`);
  }
  return new DeviceCommandError(`${what} failed (${status})${said(answer)}`);
}

/** A network or TLS failure as a clear error: an untrusted certificate is a setting to fix. */
export function transportError(error: NodeJS.ErrnoException, what: string): Error {
  if (error instanceof DeviceUnreachableError || error instanceof DeviceCommandError || error instanceof DeviceConfigError) {
    return error;
  }
  const code = error.code ?? '';
  if (CERTIFICATE_CODES.has(code)) {
    return new DeviceConfigError(`${what}: the device's certificate is not trusted (${code}): set the CA file of the CA that `
      + 'signed it, or, for a self-signed device certificate, tick "Accept any certificate (insecure)"');
  }
  if (code === 'EPROTO' || /wrong version number|packet length too long/i.test(error.message)) {
    return new DeviceConfigError(`${what}: no TLS there (${error.message}): is the device on HTTP rather than HTTPS, or the port wrong?`);
  }
  if (code === 'HPE_INVALID_CONSTANT' || code.startsWith('HPE_')) {
    return new DeviceCommandError(`${what}: the answer is not HTTP (${code}): is the device on HTTPS, or the port wrong?`);
  }
  return new DeviceUnreachableError(`${what}: ${code ? `${code} ` : ''}${error.message}`.trim(), error);
}
