import assert from 'assert';
import { DeviceUnreachableError } from '../../lib/device/errors';
import { COMMUNITY_MISMATCH_TEXT, scrubError, scrubText, scrubbed } from '../../lib/device/scrub';

const SECRETS = {
  readCommunity: 'rd-secret', writeCommunity: 'wr-secret', trapCommunity: 'tr-secret',
  password: 'pw-secret', authKey: 'auth-secret', privKey: 'priv-secret',
};

describe('the credentials scrubber', function () {
  it('masks every configured secret, each time it occurs', function () {
    for (const secret of Object.values(SECRETS)) {
      assert.strictEqual(scrubText(`a ${secret} b ${secret}`, SECRETS), 'a *** b ***');
    }
  });

  it('masks a secret that contains another one whole', function () {
    assert.strictEqual(scrubText('login: admin-pw then admin', { password: 'admin-pw', readCommunity: 'admin' }), 'login: *** then ***');
  });

  it('replaces net-snmp\'s community mismatch text, whatever the communities hold', function () {
    const text = "invalid answer: Community 'it''s odd' in request does not match community 'x y' in response";
    assert.strictEqual(scrubText(text, {}), `invalid answer: ${COMMUNITY_MISMATCH_TEXT}`);
  });

  it('masks an SSH private key whole, any one of its lines quoted alone, and its passphrase', function () {
    const privateKey = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n'
      + 'AAAAAAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIH\n-----END OPENSSH PRIVATE KEY-----\n';
    const secrets = { privateKey, passphrase: 'key-pass-phrase' };
    assert.strictEqual(scrubText(`key: ${privateKey}`, secrets), 'key: ***');
    assert.strictEqual(scrubText('bad line AAAAAAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIH here', secrets), 'bad line *** here');
    assert.strictEqual(scrubText('unlocked with key-pass-phrase', secrets), 'unlocked with ***');
    assert.strictEqual(scrubText('-----END OPENSSH PRIVATE KEY-----', secrets), '-----END OPENSSH PRIVATE KEY-----', 'the armour is no secret');
  });

  it('ignores absent and empty secrets', function () {
    assert.strictEqual(scrubText('nothing to hide', { readCommunity: '', password: undefined }), 'nothing to hide');
  });

  it('scrubs an error\'s message, stack and cause in place, keeping its class', function () {
    const cause = Object.assign(new Error('sent pw-secret'), { info: { user: { authKey: 'auth-secret' } } });
    const error = new DeviceUnreachableError('no answer for rd-secret', cause);
    const result = scrubError(error, SECRETS);
    assert.strictEqual(result, error);
    assert.ok(result instanceof DeviceUnreachableError);
    assert.strictEqual(result.message, 'no answer for ***');
    assert.ok(!result.stack!.includes('rd-secret'));
    assert.strictEqual((result.cause as Error).message, 'sent ***');
    assert.ok(!(result.cause as Error).stack!.includes('pw-secret'));
    assert.strictEqual((result.cause as { info?: unknown }).info, undefined);
  });

  it('turns a thrown non-Error into a scrubbed Error', async function () {
    await assert.rejects(scrubbed(SECRETS, () => Promise.reject('wr-secret refused')), { message: '*** refused' });
  });
});
