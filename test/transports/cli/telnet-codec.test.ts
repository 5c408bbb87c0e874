import assert from 'assert';
import { TelnetCodec } from '../../../lib/transports/cli/telnet-codec';

const IAC = 255;

describe('Telnet codec', function () {
  it('strips option negotiation wherever it falls, also split across packets, and answers it', function () {
    const codec = new TelnetCodec();
    const first = codec.decode(Buffer.from([...Buffer.from('Use'), IAC, 251, 1, IAC]));
    assert.strictEqual(first.data.toString(), 'Use');
    assert.deepStrictEqual([...first.reply!], [IAC, 253, 1], 'WILL ECHO -> DO ECHO');
    const second = codec.decode(Buffer.from([253, 24, ...Buffer.from('rname: ')]));
    assert.strictEqual(second.data.toString(), 'rname: ');
    assert.deepStrictEqual([...second.reply!], [IAC, 252, 24], 'DO TERMINAL-TYPE -> WONT');
  });

  it('refuses unknown options, ignores subnegotiation, keeps a doubled IAC as data, and never loops', function () {
    const codec = new TelnetCodec();
    const out = codec.decode(Buffer.from([IAC, 251, 31, IAC, 250, 24, 1, IAC, 240, 65, IAC, IAC, 66, IAC, 241, 67]));
    assert.deepStrictEqual([...out.data], [65, IAC, 66, 67]);
    assert.deepStrictEqual([...out.reply!], [IAC, 254, 31], 'WILL NAWS -> DONT');
    assert.strictEqual(codec.decode(Buffer.from([IAC, 251, 31])).reply, undefined, 'the same request is answered once');
    assert.strictEqual(codec.decode(Buffer.from([IAC, 252, 1])).reply, undefined, 'WONT needs no answer');
  });

  it('escapes IAC and sends a lone carriage return as CR NUL', function () {
    const codec = new TelnetCodec();
    assert.deepStrictEqual([...codec.encode('a\xff\r')], [97, IAC, IAC, 13, 0]);
    assert.deepStrictEqual([...codec.encode('ON .A1\r\n')], [...Buffer.from('ON .A1\r\n')]);
  });
});
