import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autostartEntry } from '../../../electron/app-core/settings/autostart-linux.js';

describe('start at login (Linux)', () => {
  it('writes an XDG autostart entry that quotes the executable and passes --hidden', () => {
    const e = autostartEntry('/opt/Wire Desk/wiredesk', true);
    assert.match(e, /^Exec="\/opt\/Wire Desk\/wiredesk" --hidden$/m);
    assert.match(e, /^Type=Application$/m);
  });
});
