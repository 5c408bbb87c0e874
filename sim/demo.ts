import { ChildProcess, spawn } from 'child_process';
import path from 'path';
import { simulators, startSim, type SimDevice } from './index';
import { prepareUserDir, REPO } from './demo/userdir';
import fs from 'fs';
import { DEFAULT_PORTS, DEFAULT_SERIAL_LINK, DEFAULT_TRAP_PORT } from './ports';
import { startPowermand, type Powermand } from './powermand';
import { startMosquitto, type Mosquitto } from './mosquitto';
import { connects } from './net';

// `npm start`: every simulated device on its default port, and Node-RED 4 at
// http://127.0.0.1:1880 with this pack and the example flows deployed against them.
//   npm start -- --reset     rewrite the demo's flows from examples/ (your edits are lost)
//   PORT=1990 npm start      another editor port

/** powermand's own default port, where examples/powerman-nodes.json looks for it. */
const POWERMAN_PORT = 10101;
/** MQTT's own port, where examples/many-sites-*.json look for their broker. */
const MQTT_PORT = 1883;

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 1880);
  const userDir = path.join(REPO, '.demo');
  const { flowsWritten, skipped } = prepareUserDir({ dir: userDir, port, resetFlows: process.argv.includes('--reset') });
  if (!flowsWritten) console.log('demo: keeping your flows in .demo/flows.json (npm start -- --reset to start over)');
  for (const example of skipped ?? []) console.log(`demo: left out ${example}`);

  const sims: SimDevice[] = [];
  for (const kind of Object.keys(simulators)) {
    try {
      // SNMP devices send their traps to the demo's pdu-trap-in nodes (community `public`).
      sims.push(await startSim(kind, {
        port: DEFAULT_PORTS[kind], rebootDelay: 5000, driftInterval: 5000, traps: { port: DEFAULT_TRAP_PORT },
        // The power manager is on a serial line too (a socat pty pair) for the serial example.
        ...(kind === 'power-manager' ? { pty: DEFAULT_SERIAL_LINK } : {}),
      }));
      console.log(`demo: ${sims[sims.length - 1].summary}`);
    } catch (error) {
      console.error(`demo: could not start the ${kind} simulator on port ${DEFAULT_PORTS[kind]}: ${(error as Error).message}`);
    }
  }

  // PowerMan's example talks to a real powermand driving its virtual controller, when installed.
  let powermand: Powermand | undefined;
  if (fs.existsSync('/usr/sbin/powermand')) {
    try {
      powermand = await startPowermand({ port: POWERMAN_PORT });
      console.log(`demo: powermand with vpcd nodes t[0-15] on tcp ${POWERMAN_PORT}`);
    } catch (error) {
      console.error(`demo: could not start powermand on port ${POWERMAN_PORT}: ${(error as Error).message}`);
    }
  } else {
    console.log('demo: no powermand (Debian package powerman): the PowerMan example will show "no answer"');
  }

  // The many-sites examples meet at an MQTT broker on this host's port 1883: Mosquitto, when installed.
  let mosquitto: Mosquitto | undefined;
  if (await connects(MQTT_PORT)) {
    console.log(`demo: an MQTT broker already listens on tcp ${MQTT_PORT}: the many-sites examples use it`);
  } else if (fs.existsSync('/usr/sbin/mosquitto')) {
    try {
      mosquitto = await startMosquitto({ port: MQTT_PORT, anonymous: true });
      console.log(`demo: Mosquitto on tcp ${MQTT_PORT} (anonymous, this host only) for the many-sites examples`);
    } catch (error) {
      console.error(`demo: could not start Mosquitto on port ${MQTT_PORT}: ${(error as Error).message}`);
    }
  } else {
    console.log('demo: no Mosquitto (Debian package mosquitto): the many-sites examples will wait for a broker');
  }

  const red: ChildProcess = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', userDir, '--port', String(port)], {
    stdio: 'inherit',
    cwd: userDir,
  });
  let stopping = false;
  const redExited = new Promise<void>((resolve) => { red.once('exit', () => resolve()); });
  const stop = (code: number): void => {
    if (stopping) return;
    stopping = true;
    red.kill('SIGINT');
    // The peers stop after Node-RED has closed its nodes (at most 10 s): a broker or device gone
    // first turns their clean close into "Close timed out" errors.
    const redClosed = Promise.race([redExited, new Promise<void>((resolve) => { setTimeout(resolve, 10000).unref(); })]);
    redClosed.then(() => Promise.all([...sims.map((sim) => sim.stop()), powermand?.stop(), mosquitto?.stop()]))
      .finally(() => process.exit(code));
  };
  red.on('exit', (code) => {
    if (!stopping) console.error(`demo: Node-RED exited (${code}); is port ${port} free? Try PORT=1990 npm start`);
    stop(code ?? 1);
  });
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  console.log(`demo: Node-RED with Rack Power starting at http://127.0.0.1:${port}`);
}

main().catch((error: Error) => {
  console.error(`demo: ${error.message}`);
  process.exit(1);
});
