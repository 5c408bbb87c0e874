import fs from 'fs';
import os from 'os';
import path from 'path';
import { startPtyPair, type PtyPair } from '../../sim/cli/pty';

export interface SerialLine {
  /** The program's end (the serial transport opens it) and the device's end. */
  host: string;
  device: string;
  pair: PtyPair;
  /** Pull the plug: socat ends and both ttys disappear. */
  unplug(): Promise<void>;
  /** Plug back in: a new pty pair under the same names. */
  replug(): Promise<void>;
  stop(): Promise<void>;
}

/** A real pty pair from socat in a temporary directory: a serial cable between two programs. */
export async function startSerialLine(): Promise<SerialLine> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rack-power-tty-'));
  const host = path.join(dir, 'ttyHost');
  const device = path.join(dir, 'ttyDevice');
  const line: SerialLine = {
    host,
    device,
    pair: await startPtyPair(host, device),
    async unplug() {
      await line.pair.stop();
    },
    async replug() {
      line.pair = await startPtyPair(host, device);
    },
    async stop() {
      await line.pair.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return line;
}
