import fs from 'fs';

export { freeTcpPort, waitFor } from '../../sim/net';

/**
 * Whether something listens on this TCP port, read from /proc/net/tcp so that no connection is
 * made: vpcd accepts exactly one connection, and a probe would use it up.
 */
export function isListening(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return fs.readFileSync('/proc/net/tcp', 'utf8').split('\n')
    .some((line) => {
      const fields = line.trim().split(/\s+/);
      return fields[1]?.endsWith(`:${hex}`) && fields[3] === '0A';
    });
}
