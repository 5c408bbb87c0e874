// A real upsd with dummy-ups drivers, for tests (see shared reference peers.md): a temp dir owned
// by user `nut` holds ups.conf, upsd.conf, upsd.users and one .dev file per UPS; the drivers and
// upsd run as `nut` on a free loopback port and are killed by stop(). Tests change a UPS by
// rewriting its .dev file (dummy-ups reads it again when its mtime changes).
import { execFileSync } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';

const NUT_BIN = '/lib/nut';

export interface UpsdUps {
  /** The .dev file: `var: value` lines, as upsc prints them. */
  dev: string;
  desc?: string;
}

export interface UpsdOptions {
  upses: Record<string, UpsdUps>;
  /** upsd.users; defaults to USERS below. */
  users?: string;
  /** Give upsd a certificate (generated now, signed by a test CA) so that it offers STARTTLS. */
  tls?: boolean;
}

/** admin may do everything; viewer only read; `odd` has a password that needs quoting. */
export const USERS = `[admin]
  password = secret
  actions = SET FSD
  instcmds = ALL
  upsmon primary
[viewer]
  password = look
[odd]
  password = "s3 \\"q\\" \\\\x"
  actions = SET
  instcmds = ALL
`;
export const ODD_PASSWORD = 's3 "q" \\x';

export interface Upsd {
  port: number;
  dir: string;
  /** The CA that signed upsd's certificate (tls only). */
  caFile?: string;
  /** Replace a UPS's .dev file; resolves when upsd serves the new ups.status (if the file has one). */
  writeDev(ups: string, dev: string): Promise<void>;
  /** Kill upsd only (the link-loss test). */
  killUpsd(): Promise<void>;
  /** Start upsd again, with fresh drivers (dummy-ups 2.8.0 dies or spins when upsd goes away). */
  startUpsd(): Promise<void>;
  stop(): Promise<void>;
}

function nutIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'nut']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'nut']).toString().trim());
  return { uid, gid };
}

export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    // A zombie still answers signal 0; its state in /proc says it is gone.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

function readPid(file: string): number | undefined {
  try {
    return Number(fs.readFileSync(file, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

async function killAndWait(pid: number | undefined): Promise<void> {
  if (!alive(pid)) return;
  try { process.kill(pid!, 'SIGTERM'); } catch { return; }
  for (let i = 0; i < 100 && alive(pid); i += 1) await new Promise((resolve) => { setTimeout(resolve, 20); });
  if (alive(pid)) try { process.kill(pid!, 'SIGKILL'); } catch { /* gone */ }
}

/** One request on a fresh socket: the harness checks readiness without the client under test. */
function ask(port: number, line: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const done = (): void => { socket.destroy(); resolve(data); };
    socket.setTimeout(1000, done);
    socket.on('connect', () => socket.write(`${line}\n`));
    socket.on('data', (chunk) => { data += chunk; if (data.includes('\n')) done(); });
    socket.on('error', done);
  });
}

/** Which TLS library upsd is built with decides how its certificate is configured. */
function upsdTlsLibrary(): 'nss' | 'openssl' {
  const libs = execFileSync('ldd', [`${NUT_BIN}/upsd`]).toString();
  if (/libnss3/.test(libs)) return 'nss';
  if (/libssl/.test(libs)) return 'openssl';
  throw new Error('this upsd is built without TLS support');
}

/** A test CA and a certificate for 127.0.0.1 signed by it, in the form this upsd reads. */
function makeCertificate(dir: string): { conf: string; caFile: string } {
  const tlsDir = path.join(dir, 'tls');
  fs.mkdirSync(tlsDir);
  const run = (command: string, args: string[]): void => { execFileSync(command, args, { cwd: tlsDir, stdio: 'pipe' }); };
  run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Rack Power test CA']);
  run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'upsd.key', '-out', 'upsd.csr', '-subj', '/CN=127.0.0.1']);
  fs.writeFileSync(path.join(tlsDir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run('openssl', ['x509', '-req', '-in', 'upsd.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'upsd.pem', '-days', '2', '-extfile', 'san.cnf']);
  const caFile = path.join(tlsDir, 'ca.pem');
  if (upsdTlsLibrary() === 'openssl') {
    fs.writeFileSync(path.join(tlsDir, 'upsd-full.pem'), fs.readFileSync(path.join(tlsDir, 'upsd.pem')) + fs.readFileSync(path.join(tlsDir, 'upsd.key')).toString());
    return { conf: `CERTFILE ${path.join(tlsDir, 'upsd-full.pem')}\n`, caFile };
  }
  // NSS keeps certificates in a database: certutil and pk12util come with libnss3-tools.
  const nss = path.join(dir, 'nss');
  fs.mkdirSync(nss);
  fs.writeFileSync(path.join(tlsDir, 'db.pw'), 'dbpass\n');
  try {
    run('openssl', ['pkcs12', '-export', '-in', 'upsd.pem', '-inkey', 'upsd.key', '-name', 'upsd', '-out', 'upsd.p12', '-passout', 'pass:p12pass']);
    run('certutil', ['-N', '-d', `sql:${nss}`, '-f', 'db.pw']);
    run('pk12util', ['-i', 'upsd.p12', '-d', `sql:${nss}`, '-k', 'db.pw', '-W', 'p12pass']);
    run('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'test-ca', '-t', 'CT,,', '-i', 'ca.pem', '-f', 'db.pw']);
  } catch (error) {
    throw new Error(`cannot build upsd's NSS certificate database (${(error as Error).message.split('\n')[0]}): `
      + 'install libnss3-tools (certutil, pk12util)');
  }
  return { conf: `CERTPATH ${nss}\nCERTIDENT "upsd" "dbpass"\n`, caFile };
}

export async function startUpsd(options: UpsdOptions): Promise<Upsd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rp-upsd-'));
  const port = await freeTcpPort();
  const { uid, gid } = nutIds();
  const env = { ...process.env, NUT_CONFPATH: dir, NUT_STATEPATH: dir, NUT_ALTPIDPATH: dir };
  const devFile = (ups: string): string => path.join(dir, `${ups}.dev`);
  // dummy-ups compares whole-second mtimes: each rewrite gets a later second than the last.
  let mtime = Math.floor(Date.now() / 1000) - 1000;
  const write = (ups: string, dev: string): void => {
    fs.writeFileSync(devFile(ups), dev);
    mtime += 1;
    fs.utimesSync(devFile(ups), mtime, mtime);
    fs.chownSync(devFile(ups), uid, gid);
  };

  const upsConf = Object.entries(options.upses).map(([name, ups]) => `[${name}]\n  driver = dummy-ups\n  port = ${devFile(name)}\n`
    + `  pollinterval = 1\n${ups.desc ? `  desc = "${ups.desc.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"\n` : ''}`).join('');
  fs.writeFileSync(path.join(dir, 'ups.conf'), upsConf);
  let upsdConf = `LISTEN 127.0.0.1 ${port}\nMAXAGE 15\n`;
  let caFile: string | undefined;
  if (options.tls) {
    const certificate = makeCertificate(dir);
    upsdConf += certificate.conf;
    caFile = certificate.caFile;
  }
  fs.writeFileSync(path.join(dir, 'upsd.conf'), upsdConf);
  fs.writeFileSync(path.join(dir, 'upsd.users'), options.users ?? USERS, { mode: 0o640 });
  fs.writeFileSync(path.join(dir, 'nut.conf'), 'MODE=standalone\n');
  for (const [name, ups] of Object.entries(options.upses)) write(name, ups.dev);
  execFileSync('chown', ['-R', `${uid}:${gid}`, dir]);
  fs.chmodSync(dir, 0o750);

  const driverPid = (ups: string): number | undefined => readPid(path.join(dir, `dummy-ups-${ups}.pid`));
  const startDriver = (ups: string): void => {
    execFileSync(`${NUT_BIN}/dummy-ups`, ['-a', ups, '-u', 'nut'], { env, stdio: 'pipe' });
  };
  /**
   * dummy-ups answers with its own defaults (`device.model` = the UPS's name) until it has read
   * the .dev file: ready means a variable of the file is served with the file's value.
   */
  const servesItsFile = async (ups: string): Promise<boolean> => {
    // The file as it is now: a test may have rewritten it since upsd started.
    const lines = fs.readFileSync(devFile(ups), 'utf8').split('\n').map((line) => /^([\w.-]+):\s*(\S.*)$/.exec(line.trim())).filter(Boolean);
    // Not driver.* nor device.*: dummy-ups puts values of its own there (`Dummy Manufacturer`).
    // The file's last such line: dummy-ups sends the file in order, and upsd serves each variable
    // as it arrives, so the first line can be served while the rest (device.model, the outlets)
    // is still on its way; a loaded CI machine read a half-served Eaton ePDU that way.
    const probe = lines.filter((match) => !/^(driver|device)\./.test(match![1])).pop();
    if (!probe) return (await ask(port, `GET VAR ${ups} device.type`)).startsWith('VAR');
    const answer = await ask(port, `GET VAR ${ups} ${probe[1]}`);
    const served = /^VAR \S+ \S+ "(.*)"/.exec(answer.trim())?.[1];
    // dummy-ups collapses runs of blanks; compare the words.
    return served !== undefined && served.replace(/\s+/g, ' ').trim() === probe[2].replace(/\s+/g, ' ').trim();
  };
  const ready = async (): Promise<void> => {
    const deadline = Date.now() + 10000;
    for (const ups of Object.keys(options.upses)) {
      for (;;) {
        const answer = await ask(port, `LIST RW ${ups}`);
        if (/^BEGIN LIST RW/.test(answer) && await servesItsFile(ups)) break;
        if (Date.now() > deadline) throw new Error(`upsd on ${port} did not serve ${ups} within 10 s (last: ${answer.trim()})`);
        await new Promise((resolve) => { setTimeout(resolve, 50); });
      }
    }
  };
  const launchUpsd = async (): Promise<void> => {
    for (const ups of Object.keys(options.upses)) {
      await killAndWait(driverPid(ups));
      startDriver(ups);
    }
    execFileSync(`${NUT_BIN}/upsd`, ['-u', 'nut'], { env, stdio: 'pipe' });
    await ready();
  };
  const killUpsd = async (): Promise<void> => killAndWait(readPid(path.join(dir, 'upsd.pid')));

  try {
    await launchUpsd();
  } catch (error) {
    await killUpsd();
    for (const ups of Object.keys(options.upses)) await killAndWait(driverPid(ups));
    throw error;
  }

  return {
    port,
    dir,
    caFile,
    async writeDev(ups, dev) {
      write(ups, dev);
      const status = /^ups\.status:\s*(.*)$/m.exec(dev)?.[1].trim();
      if (!status) return;
      const deadline = Date.now() + 8000;
      while ((await ask(port, `GET VAR ${ups} ups.status`)).trim() !== `VAR ${ups} ups.status "${status}"`) {
        if (Date.now() > deadline) throw new Error(`dummy-ups did not pick up ${ups}.dev within 8 s`);
        await new Promise((resolve) => { setTimeout(resolve, 50); });
      }
    },
    killUpsd,
    startUpsd: launchUpsd,
    async stop() {
      await killUpsd();
      for (const ups of Object.keys(options.upses)) await killAndWait(driverPid(ups));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
