import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { GroupError, GroupStore } from '../../../../electron/app-core/groups/group-store.js';

const dir = mkdtempSync(join(tmpdir(), 'wd-groups-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const tunnels = new Set(['office-a', 'office-b', 'office-c', 'home']);
let n = 0;
const fresh = () => new GroupStore(join(dir, `groups-${n++}.json`), (t) => tunnels.has(t));
const refuses = (f: () => unknown, message: RegExp) => assert.throws(f, (e: unknown) => e instanceof GroupError && message.test(e.message));

describe('group store', () => {
  it('keeps groups in order on disk and reads them back', () => {
    const s = fresh();
    s.save(null, { name: 'Office', members: ['office-a', 'office-b'], holdSeconds: 30 });
    const again = new GroupStore((s as unknown as { file: string }).file, (t) => tunnels.has(t));
    assert.deepEqual(again.list(), [{ name: 'Office', members: ['office-a', 'office-b'], holdSeconds: 30 }]);
  });

  it('refuses bad groups with a sentence that says what to do', () => {
    const s = fresh();
    s.save(null, { name: 'Office', members: ['office-a', 'office-b'] });
    refuses(() => s.save(null, { name: 'Empty', members: [] }), /needs at least two tunnels/);
    refuses(() => s.save(null, { name: 'One', members: ['home'] }), /needs at least two tunnels/);
    refuses(() => s.save(null, { name: 'X', members: ['home', 'nope'] }), /no tunnel named "nope"; import it first/);
    refuses(() => s.save(null, { name: 'X', members: ['home', 'home'] }), /"home" is listed twice/);
    refuses(() => s.save(null, { name: 'X', members: ['home', 'office-a'] }), /"office-a" is already in the group "Office"/);
    refuses(() => s.save(null, { name: 'Office', members: ['home', 'office-c'] }), /already exists/);
    refuses(() => s.save(null, { name: '  ', members: ['home', 'office-c'] }), /Give the group a name/);
    refuses(() => s.save('Gone', { name: 'Gone', members: ['home', 'office-c'] }), /no group named "Gone"/);
    refuses(() => s.remove('Gone'), /no group named "Gone"/);
    assert.equal(s.list().length, 1, 'a refused save changes nothing');
  });

  it('edits in place (reorder, rename) and follows renamed and deleted tunnels', () => {
    const s = fresh();
    s.save(null, { name: 'Office', members: ['office-a', 'office-b', 'office-c'] });
    s.save('Office', { name: 'Work', members: ['office-c', 'office-a', 'office-b'] });
    assert.deepEqual(s.list().map((g) => [g.name, g.members]), [['Work', ['office-c', 'office-a', 'office-b']]]);
    assert.deepEqual(s.tunnelChanged('office-a', 'office-1'), ['Work']);
    assert.deepEqual(s.get('Work')?.members, ['office-c', 'office-1', 'office-b']);
    s.tunnelChanged('office-1', null);
    assert.deepEqual(s.get('Work')?.members, ['office-c', 'office-b']);
    s.tunnelChanged('office-b', null);
    assert.equal(s.get('Work'), undefined, 'a group left with one tunnel is gone');
  });

  it('reads a hand-edited file without failing: bad groups are dropped, good ones stay', () => {
    const file = join(dir, 'hand.json');
    writeFileSync(file, JSON.stringify({ groups: [
      { name: 'Good', members: ['office-a', 'office-b'] },
      { name: 'Typo', members: 'office-c' },
      { name: 'Overlap', members: ['office-a', 'home'] },
      { name: 'Gone', members: ['home', 'deleted-one'] },
    ] }));
    const s = new GroupStore(file, (t) => tunnels.has(t));
    assert.deepEqual(s.list().map((g) => g.name), ['Good']);
    writeFileSync(file, '{ not json');
    assert.deepEqual(new GroupStore(file, (t) => tunnels.has(t)).list(), []);
    assert.ok(readFileSync(file, 'utf8').length > 0);
  });
});
