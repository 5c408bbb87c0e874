import { execFile } from 'child_process';
import dgram from 'dgram';
import { freeUdpPort } from '../../sim/snmp/agent';

// Net-SNMP's own senders (Debian's `snmp` package): snmptrap and snmpinform, run asynchronously so
// the receiver in this process can answer informs while they wait.

export interface SendResult {
  code: number;
  stderr: string;
}

/** Run snmptrap or snmpinform with numeric OIDs (`-m ""`) and no config files; never rejects. */
export function netSnmp(command: 'snmptrap' | 'snmpinform', args: string[], timeoutMs = 8000): Promise<SendResult> {
  return new Promise((resolve) => {
    execFile(command, ['-m', '', '-Ln', ...args], { timeout: timeoutMs, env: { ...process.env, SNMPCONFPATH: '/nonexistent', MIBS: '' } },
      (error, _stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr: String(stderr) });
      });
  });
}

/** A v2c trap from snmptrap to host:port. */
export function v2cTrap(target: string, community: string, trapOid: string, varbinds: string[] = []): Promise<SendResult> {
  return netSnmp('snmptrap', ['-v', '2c', '-c', community, target, '', trapOid, ...varbinds]);
}

/** The (first) bytes snmptrap, or snmpinform, sends for these arguments, caught on a socket of our own. */
export async function capturePacket(args: string[], command: 'snmptrap' | 'snmpinform' = 'snmptrap'): Promise<Buffer> {
  const port = await freeUdpPort();
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', () => resolve()));
  try {
    const packet = new Promise<Buffer>((resolve) => socket.once('message', (buffer) => resolve(buffer)));
    const sent = netSnmp(command, args.map((arg) => arg.replace('{target}', `127.0.0.1:${port}`)));
    const buffer = await Promise.race([packet, sent.then(() => new Promise<Buffer>((_, reject) => setTimeout(() => reject(new Error('no packet')), 1000)))]);
    return buffer;
  } finally {
    socket.close();
  }
}

/** Send raw bytes to a UDP port on loopback. */
export async function sendRaw(port: number, packets: Buffer[], host = '127.0.0.1'): Promise<void> {
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  try {
    for (const packet of packets) {
      await new Promise<void>((resolve, reject) => socket.send(packet, port, host, (error) => (error ? reject(error) : resolve())));
    }
  } finally {
    socket.close();
  }
}

export { freeUdpPort };
