import assert from 'assert';
import { CliChannel } from '../../../lib/transports/cli/channel';
import { AnswerTooLong, Expecter, MAX_ANSWER, PATTERN_SPAN, type ExpectPattern } from '../../../lib/transports/cli/expect';

// The expect engine searches each piece of text once, with a little of what came before it,
// instead of the whole answer on every packet. These cases pin down that it still finds what
// the whole-text search found, and nothing it did not.

/** A byte pipe whose device side is the test: `say` delivers text as the device would. */
class TestChannel extends CliChannel {
  readonly address = 'test-device';
  readonly outlivesSession = false;
  async open(): Promise<void> {}
  async write(): Promise<void> {}
  async close(): Promise<void> {}
  say(text: string): void {
    this.emit('data', Buffer.from(text, 'latin1'));
  }
}

const prompt: ExpectPattern = { name: 'prompt', re: /power manager: ?$/i };
const pager: ExpectPattern = { name: 'pager', re: /Press: N\)ext, Q\)uit: ?$/i };
const busy: ExpectPattern = { name: 'busy', re: /[^\r\n]*another session is active[^\r\n]*/i };
const options = { idle: 2000, total: 5000, waitingFor: 'prompt' };

describe('expect engine (searching piece by piece)', function () {
  let channel: TestChannel;
  let expecter: Expecter;

  beforeEach(function () {
    channel = new TestChannel();
    expecter = new Expecter(channel);
  });

  it('finds a prompt sent one character at a time, with the whole answer before it', async function () {
    const answer = `${'Port .A1 On\r\n'.repeat(200)}power manager: `;
    const waiting = expecter.expect([prompt, pager], options);
    for (const char of answer) channel.say(char);
    const match = await waiting;
    assert.strictEqual(match.name, 'prompt');
    assert.strictEqual(match.before, 'Port .A1 On\r\n'.repeat(200));
  });

  it('does not take a prompt followed by more text for the end (`$`), wherever a search piece stops', async function () {
    // Every position of the prompt's end relative to the pieces searched in one big packet.
    for (let pad = 900; pad < 1200; pad += 7) {
      const waiting = expecter.expect([prompt], options);
      channel.say(`${'a'.repeat(pad)}power manager: ${'b'.repeat(3000)}\r\n`);
      channel.say('power manager: ');
      const match = await waiting;
      assert.strictEqual(match.before.length, pad + 15 + 3002, `pad ${pad}`);
      expecter.take();
    }
  });

  it('picks the earliest match among the patterns, far into a big packet', async function () {
    const waiting = expecter.expect([prompt, pager], options);
    channel.say(`${'line\r\n'.repeat(5000)}Press: N)ext, Q)uit: `);
    const match = await waiting;
    assert.strictEqual(match.name, 'pager');
    assert.strictEqual(match.before.length, 30000);
  });

  it('keeps text that came before anyone waited, and what follows a match for the next wait', async function () {
    channel.say('Username: ');
    channel.say('power manager: ');
    const first = await expecter.expect([{ name: 'username', re: /Username: ?/i }], options);
    assert.strictEqual(first.before, '');
    const second = await expecter.expect([prompt], options);
    assert.strictEqual(second.before, '');
  });

  it('finds a whole-line message in the middle of a long line, and ^ only at the start of the answer', async function () {
    const waiting = expecter.expect([busy], options);
    channel.say(`${'x'.repeat(5000)} Sorry, another session is active. ${'y'.repeat(5000)}`);
    const match = await waiting;
    assert.match(match.text, /Sorry, another session is active\. y+$/);
    // The greedy end of such a pattern stops within a search piece: the rest of the line is left.
    expecter.take();
    const start = expecter.expect([{ name: 'start', re: /^z/ }, prompt], options);
    channel.say(`${'z'.repeat(3 * PATTERN_SPAN)}power manager: `);
    assert.strictEqual((await start).name, 'start');
    expecter.take();
    const notStart = expecter.expect([{ name: 'start', re: /^z/ }, prompt], options);
    channel.say('q'.repeat(3 * PATTERN_SPAN));
    channel.say('zzz power manager: ');
    assert.strictEqual((await notStart).name, 'prompt');
  });

  it('fails an answer that outgrows the limit, and keeps only a little of it', async function () {
    const waiting = expecter.expect([prompt], options);
    waiting.catch(() => undefined);
    for (let sent = 0; sent <= MAX_ANSWER; sent += 65536) channel.say('z'.repeat(65536));
    await assert.rejects(waiting, (error: Error) => {
      assert.ok(error instanceof AnswerTooLong);
      assert.match(error.message, /^test-device sent more than 1024 KiB \(\d+ characters\) without the prompt: the session is closed; last output: "…z{160}"$/);
      return true;
    });
    assert.ok(expecter.take().length <= 4096);
  });
});
