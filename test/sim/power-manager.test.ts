import assert from 'assert';
import net from 'net';
import type { CliSimDevice } from '../../sim/cli/index';
import { powerManagerSim } from '../helpers/cli';
import { until } from '../helpers/red';

// The simulated power manager, seen as a terminal user sees it: the Sentry power manager's banner, prompts,
// messages and timers (US 7,099,934), checked with a plain socket.

class Terminal {
  text = '';
  closed = false;
  private readonly socket: net.Socket;

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.on('error', () => undefined);
    this.socket.on('data', (chunk: Buffer) => { this.text += chunk.toString('latin1'); });
    this.socket.on('close', () => { this.closed = true; });
  }

  type(text: string): void {
    this.socket.write(text);
  }

  async see(expected: RegExp, ms = 2000): Promise<void> {
    await until(() => expected.test(this.text), ms, `${expected} in ${JSON.stringify(this.text.slice(-200))}`);
  }

  close(): void {
    this.socket.destroy();
  }
}

describe('power-manager simulator (the Sentry power manager\'s command line)', function () {
  let sim: CliSimDevice;
  const terminals: Terminal[] = [];
  const terminal = (): Terminal => {
    const opened = new Terminal(sim.port);
    terminals.push(opened);
    return opened;
  };

  afterEach(async function () {
    for (const opened of terminals.splice(0)) opened.close();
    await sim.stop();
  });

  it('offers Telnet echo, shows the banner after a carriage return, and logs in', async function () {
    sim = await powerManagerSim();
    const user = terminal();
    await until(() => user.text.length >= 6, 2000, 'telnet options');
    assert.deepStrictEqual([...Buffer.from(user.text.slice(0, 6), 'latin1')], [255, 251, 1, 255, 251, 3]);
    assert.doesNotMatch(user.text, /Username/, 'nothing before the carriage return');
    user.type('\r');
    await user.see(/power manager Version 2\.0a\r\n\r\nUsername: $/);
    user.type('ADMN\r');
    await user.see(/Username: ADMN\r\nPassword: $/);
    user.type('admn\r');
    await user.see(/Password: \r\n\r\nWelcome to rack-12\r\npower manager: $/);
    user.type('\r');
    await user.see(/CONNECT LOGIN OFF ON QUIT REBOOT RESYNC SET ADD DEL LIST SHOW STATUS VERS\r\npower manager: $/);
  });

  it('allows three login attempts, then ends the session', async function () {
    sim = await powerManagerSim();
    const user = terminal();
    user.type('\r');
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await user.see(new RegExp(`(Username: [^]*){${attempt}}$`));
      user.type('admn\rnope\r');
    }
    await user.see(/Check the Username\/Password and try again later!\r\nSession ended\r\n$/);
    assert.strictEqual(user.text.match(/Sorry, a username\/Password a user has entered is NOT valid!/g)?.length, 3);
    await until(() => user.closed, 2000, 'the connection to close');
    assert.strictEqual(sim.console.stats.failedLogins, 3);
  });

  it('ends a session whose login prompt is not answered in time', async function () {
    sim = await powerManagerSim({ promptTimeout: 200 });
    const user = terminal();
    user.type('\r');
    await user.see(/Sorry the time is up\. Try again later!\r\nSession ended\r\n$/);
  });

  it('answers ON, OFF, REBOOT and STATUS with the Sentry power manager\'s counts, for names, groups and ALL', async function () {
    sim = await powerManagerSim({ locked: [3], rebootDelay: 200 });
    const user = terminal();
    user.type('\radmn\radmn\r');
    await user.see(/power manager: $/);
    const ask = async (command: string, answer: RegExp): Promise<void> => {
      const before = user.text.length;
      user.type(`${command}\r`);
      await until(() => answer.test(user.text.slice(before)) && /power manager: $/.test(user.text), 2000, `${command} -> ${answer}`);
    };
    await ask('OFF network', /OFF network\r\n2 port\(s\) turned off, 1 port\(s\) locked\r\n/);
    await ask('STATUS ALL', /6 port\(s\) on, 2 port\(s\) off/);
    await ask('on .a1 SRV-01', /2 port\(s\) turned on, 0 port\(s\) locked/);
    await ask('REBOOT .B2', /1 port\(s\) rebooted, 0 port\(s\) locked/);
    await ask('STATUS .B2', /0 port\(s\) on, 1 port\(s\) off/);
    await until(() => sim.model.outlet(6)!.on, 2000, 'the reboot to end');
    await ask('STATUS nowhere', /Sorry, the port name a user has entered is NOT valid!/);
  });

  it('pages LIST PORTS with "Press: N)ext, Q)uit:" and shows the Power Control Screen', async function () {
    sim = await powerManagerSim({ locked: [2] });
    const user = terminal();
    user.type('\radmn\radmn\rLIST PORTS\r');
    await user.see(/\.A1 router network\r\nusernames:\r\nadmn gen1 gen2\r\nUsername List for \.A1 Complete\r\nPress: N\)ext, Q\)uit: $/);
    user.type('Q');
    await user.see(/Q\)uit: \r\npower manager: $/);
    user.type('SHOW\r');
    await user.see(/Space-Bar to Select$/);
    assert.match(user.text, /1 of 2\r\n/);
    assert.match(user.text, /Port Name: +\[router {2}\] +\[switch {2}\]/);
    assert.match(user.text, /Control Status: +\(x\) On +\(\*\) On/);
    assert.match(user.text, /Temperature: 27\.0 Deg C\./);
    user.type('C');
    await user.see(/power manager: $/);
  });

  it('ends an idle session with "Session ended" and lets one session in at a time', async function () {
    sim = await powerManagerSim({ idleTimeout: 300 });
    const first = terminal();
    first.type('\radmn\radmn\r');
    await first.see(/power manager: $/);
    const second = terminal();
    await until(() => second.closed, 2000, 'the busy connection to close');
    assert.match(second.text, /Sorry, another session is active\. Try again later!/);
    await first.see(/\r\nSession ended\r\n$/, 2000);
    const third = terminal();
    third.type('\r');
    await third.see(/Username: $/);
  });
});
