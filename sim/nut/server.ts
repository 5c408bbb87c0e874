import net from 'net';
import { quote, splitWords } from '../../lib/transports/nut/protocol';
import { simModel, type SimDevice, type SimDeviceOptions } from '../snmp/sim-device';
import { SimNutPdu, SimUps, type SimNutDevice } from './ups';

// A small upsd for the demo: the part of the NUT network protocol that ups-nut, the NUT PDU
// driver and upsc use, with upsd's answers and errors. Tests of the client use the real upsd.

export interface NutSimOptions extends SimDeviceOptions {
  /** Seconds of the UPS's on-line / on-battery cycle (0 = stays on line until told). */
  cycle?: number;
  /** upsd.users: name -> password; they may SET and run every command. */
  users?: Record<string, string>;
}

export interface NutSim extends SimDevice {
  ups: SimUps;
  pdu: SimNutPdu;
}

interface Session {
  username?: string;
  password?: string;
  tracking: boolean;
  logins: Set<string>;
}

const HELP = 'Commands: HELP VER GET LIST SET INSTCMD LOGIN LOGOUT USERNAME PASSWORD STARTTLS';

export async function createNutSim(options: NutSimOptions = {}): Promise<NutSim> {
  const ups = new SimUps({ cycle: options.cycle ?? 60 });
  const model = simModel(options, 8);
  const pdu = new SimNutPdu('pdu', model);
  const devices = new Map<string, SimNutDevice>([[ups.name, ups], [pdu.name, pdu]]);
  const users = options.users ?? { admin: 'secret' };
  const tracked = new Map<string, string>();
  const logins = new Map<string, Set<string>>();
  let nextId = 1;

  const answer = (session: Session, line: string, peer: string): string[] => {
    const words = splitWords(line);
    const [verb, sub] = [words[0]?.toUpperCase(), words[1]?.toUpperCase()];
    const device = (name: string | undefined): SimNutDevice => {
      const found = name ? devices.get(name) : undefined;
      if (!found) throw new Error('UNKNOWN-UPS');
      return found;
    };
    const authorised = (): void => {
      if (!session.username) throw new Error('USERNAME-REQUIRED');
      if (session.password === undefined) throw new Error('PASSWORD-REQUIRED');
      if (users[session.username] !== session.password) throw new Error('ACCESS-DENIED');
    };
    const ok = (): string => {
      if (!session.tracking) return 'OK';
      const id = `SIM-${String(nextId++).padStart(8, '0')}`;
      tracked.set(id, 'SUCCESS');
      return `OK TRACKING ${id}`;
    };
    const list = (query: string, lines: string[]): string[] => [`BEGIN LIST ${query}`, ...lines, `END LIST ${query}`];
    switch (verb) {
      case 'VER': return ['Network UPS Tools upsd 2.8.0 (rack-power-sim)'];
      case 'PROTVER': case 'NETVER': return ['1.3'];
      case 'HELP': return [HELP];
      case 'STARTTLS': throw new Error('FEATURE-NOT-CONFIGURED');
      case 'USERNAME':
        if (session.username) throw new Error('ALREADY-SET-USERNAME');
        session.username = words[1];
        return ['OK'];
      case 'PASSWORD':
        if (session.password !== undefined) throw new Error('ALREADY-SET-PASSWORD');
        session.password = words[1] ?? '';
        return ['OK'];
      case 'LOGOUT': return ['OK Goodbye'];
      case 'LOGIN': {
        authorised();
        const name = device(words[1]).name;
        if (session.logins.has(name)) throw new Error('ALREADY-LOGGED-IN');
        session.logins.add(name);
        if (!logins.has(name)) logins.set(name, new Set());
        logins.get(name)!.add(peer);
        return ['OK'];
      }
      case 'PRIMARY': case 'MASTER': authorised(); device(words[1]); return [`OK ${verb}-GRANTED`];
      case 'FSD': authorised(); device(words[1]); ups.setFlags(['FSD']); return ['OK FSD-SET'];
      case 'INSTCMD': {
        authorised();
        const target = device(words[1]);
        if (!(words[2] in target.commands)) throw new Error('CMD-NOT-SUPPORTED');
        if (!target.command(words[2], words[3])) throw new Error('INSTCMD-FAILED');
        return [ok()];
      }
      case 'SET':
        if (sub === 'TRACKING') {
          authorised();
          session.tracking = words[2]?.toUpperCase() === 'ON';
          return ['OK'];
        }
        if (sub === 'VAR') {
          authorised();
          const target = device(words[2]);
          if (!(words[3] in target.variables())) throw new Error('VAR-NOT-SUPPORTED');
          if (!target.writable.has(words[3])) throw new Error('READONLY');
          const allowed = target.enums?.[words[3]];
          const range = target.ranges?.[words[3]];
          const value = words[4] ?? '';
          if ((allowed && !allowed.includes(value)) || (range && !(Number(value) >= range[0] && Number(value) <= range[1]))) {
            throw new Error('INVALID-VALUE');
          }
          if (!target.set(words[3], value)) throw new Error('SET-FAILED');
          return [ok()];
        }
        throw new Error('INVALID-ARGUMENT');
      case 'GET': {
        if (sub === 'TRACKING') {
          if (!words[2]) return [session.tracking ? 'ON' : 'OFF'];
          const result = tracked.get(words[2]);
          if (!result) throw new Error('UNKNOWN');
          return [result];
        }
        const target = device(words[2]);
        const vars = target.variables();
        const need = (name: string | undefined): string => {
          if (!name || !(name in vars)) throw new Error('VAR-NOT-SUPPORTED');
          return name;
        };
        switch (sub) {
          case 'VAR': return [`VAR ${target.name} ${need(words[3])} ${quote(vars[words[3]])}`];
          case 'TYPE': {
            const name = need(words[3]);
            const numeric = /^-?\d+(\.\d+)?$/.test(vars[name]);
            const kind = target.enums?.[name] ? ' ENUM' : target.ranges?.[name] ? ' RANGE' : '';
            return [`TYPE ${target.name} ${name}${target.writable.has(name) ? ' RW' : ''}${kind} ${numeric ? 'NUMBER' : 'STRING:64'}`];
          }
          case 'DESC': return [`DESC ${target.name} ${need(words[3])} ${quote('Description unavailable')}`];
          case 'CMDDESC': {
            if (!(words[3] in target.commands)) throw new Error('CMD-NOT-SUPPORTED');
            return [`CMDDESC ${target.name} ${words[3]} ${quote(target.commands[words[3]])}`];
          }
          case 'UPSDESC': return [`UPSDESC ${target.name} ${quote(target.description)}`];
          case 'NUMLOGINS': return [`NUMLOGINS ${target.name} ${logins.get(target.name)?.size ?? 0}`];
          default: throw new Error('INVALID-ARGUMENT');
        }
      }
      case 'LIST': {
        if (sub === 'UPS') return list('UPS', [...devices.values()].map((d) => `UPS ${d.name} ${quote(d.description)}`));
        const target = device(words[2]);
        const vars = target.variables();
        const query = `${sub} ${target.name}`;
        switch (sub) {
          case 'VAR': return list(query, Object.keys(vars).sort().map((name) => `VAR ${target.name} ${name} ${quote(vars[name])}`));
          case 'RW': return list(query, [...target.writable].sort().map((name) => `RW ${target.name} ${name} ${quote(vars[name])}`));
          case 'CMD': return list(query, Object.keys(target.commands).sort().map((name) => `CMD ${target.name} ${name}`));
          case 'CLIENT': return list(query, [...(logins.get(target.name) ?? [])].map((address) => `CLIENT ${target.name} ${address}`));
          case 'ENUM': case 'RANGE': {
            const name = words[3];
            if (!name || !(name in vars)) throw new Error('VAR-NOT-SUPPORTED');
            const lines = sub === 'ENUM'
              ? (target.enums?.[name] ?? []).map((value) => `ENUM ${target.name} ${name} ${quote(value)}`)
              : (target.ranges?.[name] ? [`RANGE ${target.name} ${name} ${target.ranges[name].map((n) => quote(String(n))).join(' ')}`] : []);
            return list(`${query} ${name}`, lines);
          }
          default: throw new Error('INVALID-ARGUMENT');
        }
      }
      default: throw new Error('UNKNOWN-COMMAND');
    }
  };

  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    const session: Session = { tracking: false, logins: new Set() };
    const peer = socket.remoteAddress ?? '127.0.0.1';
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      for (const name of session.logins) logins.get(name)?.delete(peer);
    });
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        let lines: string[];
        try {
          lines = answer(session, line, peer);
        } catch (error) {
          lines = [`ERR ${(error as Error).message}`];
        }
        socket.write(lines.map((text) => `${text}\n`).join(''));
        if (lines[0] === 'OK Goodbye') socket.end();
        newline = buffer.indexOf('\n');
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.address ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    id: 'nut-server',
    port,
    model,
    ups,
    pdu,
    summary: `nut-server: upsd on 127.0.0.1:${port} with "ups" (on battery and back every ${options.cycle ?? 60} s) and "pdu" (${model.outlets.length} outlets)`,
    async stop() {
      ups.stop();
      pdu.stop();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => { server.close(() => resolve()); });
    },
  };
}
