import assert from 'assert';
import { resolveTargets, TargetError } from '../../lib/device/targets';
import type { OutletInfo } from '../../lib/types';

const outlet = (index: number, id: string, name: string, groups: string[] = []): OutletInfo => ({ index, id, name, groups, key: id });
const OUTLETS = [
  outlet(1, '.A1', 'web-01', ['web']),
  outlet(2, '.A2', 'web-02', ['web']),
  outlet(3, '.A3', 'db-01'),
  outlet(4, '.A4', '7'),
  outlet(5, '.B1', 'dup'),
  outlet(6, '.B2', 'dup'),
  outlet(7, '.B3', ''),
];
const indexes = (list: OutletInfo[]): number[] => list.map((o) => o.index);

describe('target resolution', function () {
  it('resolves numbers, names, absolute ids with or without the dot, in any case', function () {
    assert.deepStrictEqual(indexes(resolveTargets(OUTLETS, 3)), [3]);
    assert.deepStrictEqual(indexes(resolveTargets(OUTLETS, '2')), [2]);
    assert.deepStrictEqual(indexes(resolveTargets(OUTLETS, 'DB-01')), [3]);
    assert.deepStrictEqual(indexes(resolveTargets(OUTLETS, '.b3')), [7]);
    assert.deepStrictEqual(indexes(resolveTargets(OUTLETS, 'A1')), [1]);
  });

  it('resolves lists (arrays and comma-separated text) in the order named, once each', function () {
    assert.deepStrictEqual(indexes(resolveTargets(OUTLETS, [3, 'web-01', '.A3'])), [3, 1]);
    assert.deepStrictEqual(indexes(resolveTargets(OUTLETS, '2, db-01,.B3')), [2, 3, 7]);
  });

  describe('names with blanks, matched whole (real defaults: APC "Outlet 2", Sentry "Outlet AB3")', function () {
    const RACK = [
      outlet(1, '1', 'rack', ['rack']),
      outlet(2, '2', 'rack 2'),
      outlet(3, 'AB3', 'Outlet AB3'),
      outlet(4, '4', 'DC Converter-1'),
      outlet(5, '5', 'web-01'),
    ];
    it('switches the outlet named "rack 2", never group "rack" plus outlet 2', function () {
      assert.deepStrictEqual(indexes(resolveTargets(RACK, 'rack 2')), [2]);
      assert.deepStrictEqual(indexes(resolveTargets(RACK, ['rack 2'])), [2]);
      assert.deepStrictEqual(indexes(resolveTargets(RACK, ' Rack 2 ')), [2]);
    });
    it('resolves names with blanks inside lists', function () {
      assert.deepStrictEqual(indexes(resolveTargets(RACK, 'Outlet AB3, DC Converter-1')), [3, 4]);
      assert.deepStrictEqual(indexes(resolveTargets(RACK, ['outlet ab3', 'dc converter-1', 5])), [3, 4, 5]);
    });
    it('refuses blank-separated lists instead of guessing them', function () {
      assert.throws(() => resolveTargets(RACK, '4 5'), /unknown outlet "4 5"/);
      assert.throws(() => resolveTargets(RACK, 'web-01 rack'), /unknown outlet "web-01 rack"/);
    });
    it('refuses list items that are not numbers or text', function () {
      assert.throws(() => resolveTargets(RACK, [1, null] as never), /each outlet in a list must be a number, a name or an id, not null/);
      assert.throws(() => resolveTargets(RACK, [[2]] as never), /not object/);
    });
  });

  describe('the keyword all against an outlet called all', function () {
    const NAMED_ALL = [outlet(1, '1', 'web-01'), outlet(2, '2', 'ALL '), outlet(3, '3', 'db-01')];
    for (const spec of ['all', 'ALL ', ' All', ['all']]) {
      it(`refuses ${JSON.stringify(spec)} as ambiguous, with all allowed or not`, function () {
        for (const allowAll of [true, false]) {
          assert.throws(() => resolveTargets(NAMED_ALL, spec as never, { allowAll }),
            /"all" is ambiguous: it is the keyword for every outlet and also names 2 \(ALL \)/);
        }
      });
    }
    it('refuses all when a device group is called all', function () {
      const grouped = [outlet(1, '1', 'a', ['All']), outlet(2, '2', 'b')];
      assert.throws(() => resolveTargets(grouped, 'all', { allowAll: true }), /"all" is ambiguous/);
    });
    it('still reaches that outlet by its number or id', function () {
      assert.deepStrictEqual(indexes(resolveTargets(NAMED_ALL, 2)), [2]);
    });
  });

  it('matches names trimmed on both sides, and a name that is an id of another outlet is ambiguous', function () {
    const padded = [outlet(1, 'AA1', ' web-01 '), outlet(2, 'AA2', 'AA1')];
    assert.deepStrictEqual(indexes(resolveTargets(padded, 'web-01')), [1]);
    assert.throws(() => resolveTargets(padded, 'aa1'), /"aa1" is ambiguous: as id it means 1 \( web-01 \), as name 2 \(AA1\)/);
  });

  it('resolves device groups and config groups, nested', function () {
    assert.deepStrictEqual(indexes(resolveTargets(OUTLETS, 'web')), [1, 2]);
    const groups = { front: 'web, .A3', all_front: ['front', 7] };
    assert.deepStrictEqual(indexes(resolveTargets(OUTLETS, 'all_front', { groups })), [1, 2, 3, 7]);
  });

  it('resolves all only when allowed, and never through a group', function () {
    assert.throws(() => resolveTargets(OUTLETS, 'all'), /"all" outlets refused: enable "allow all outlets"/);
    assert.strictEqual(resolveTargets(OUTLETS, 'ALL', { allowAll: true }).length, 7);
    assert.throws(() => resolveTargets(OUTLETS, 'everything', { allowAll: true, groups: { everything: 'all' } }), /"all" outlets refused/);
  });

  const refused: Array<[string, unknown, RegExp]> = [
    ['an unknown number', 9, /unknown outlet 9 \(this device has 7 outlets\)/],
    ['an unknown name', 'mail-01', /unknown outlet "mail-01": no outlet, id or group has that name/],
    ['a fraction', 1.5, /outlet 1\.5 is not a whole number/],
    ['a name two outlets share', 'dup', /"dup" names several outlets \(5 \(dup\), 6 \(dup\)\): use the number or id/],
    ['a name that is another outlet\'s number', '7', /"7" is ambiguous: as number it means 7 \(\.B3\), as name 4 \(7\)/],
    ['nothing', '', /no outlet given/],
    ['an object', { index: 1 }, /outlet must be a number, a name, an id or a list of them, not object/],
    ['a group that contains itself', 'loop', /group "loop" contains itself/],
  ];
  for (const [what, spec, message] of refused) {
    it(`refuses ${what}`, function () {
      assert.throws(() => resolveTargets(OUTLETS, spec as never, { groups: { loop: 'loop' } }),
        (error: Error) => error instanceof TargetError && message.test(error.message));
    });
  }
});
