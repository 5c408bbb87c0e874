import assert from 'assert';
import { Server, utils, type AuthContext } from 'ssh2';
import { DeviceConfigError } from '../../../lib/device/errors';
import { MAX_KEYBOARD_ROUNDS, SshChannel } from '../../../lib/transports/cli/ssh';

// A server that asks keyboard-interactive questions for ever (no real sshd can be made to):
// the password is given a bounded number of times, then the login fails with a clear error.
// ssh2's own server stands in for the misbehaving device.

describe('SSH keyboard-interactive against a server that never stops asking', function () {
  let server: Server;
  let port: number;
  const answers: string[][] = [];

  before(async function () {
    const hostKey = utils.generateKeyPairSync('ed25519').private;
    server = new Server({ hostKeys: [hostKey] }, (client) => {
      client.on('error', () => undefined);
      client.on('authentication', (context: AuthContext) => {
        if (context.method !== 'keyboard-interactive') {
          context.reject(['keyboard-interactive']);
          return;
        }
        const ask = (): void => {
          context.prompt([{ prompt: 'Password: ', echo: false }], (replies: string[]) => {
            answers.push(replies);
            // Too many rounds: refuse, so a client that keeps answering is seen to.
            if (answers.length > 20) context.reject();
            else ask();
          });
        };
        ask();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    port = (server.address() as { port: number }).port;
  });

  after(function () {
    server.close();
  });

  it(`answers at most ${MAX_KEYBOARD_ROUNDS} rounds with the password, then hangs up with a clear error`, async function () {
    const password = 'kbd-secret-771';
    const channel = new SshChannel('127.0.0.1', port, { username: 'admn', password }, { pinned: false }, 5000);
    await assert.rejects(channel.open(5000), (error: Error) => {
      assert.ok(error instanceof DeviceConfigError, error.message);
      assert.match(error.message, /^127\.0\.0\.1:\d+ kept asking keyboard-interactive questions \(more than 3 rounds\): the login was given up$/);
      assert.ok(!error.message.includes(password));
      return true;
    });
    assert.deepStrictEqual(answers, Array(MAX_KEYBOARD_ROUNDS).fill([password]), 'the password, and only so many times');
  });
});
