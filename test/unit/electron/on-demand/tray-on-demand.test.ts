import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trayModel, type TrayTunnel } from '../../../../electron/app-core/tray/tray-model.js';
import type { Language } from '../../../../shared/ipc/types.js';

const helper = { state: 'connected', installed: 'current' } as const;
const model = (t: TrayTunnel, language: Language = 'en') => trayModel({ tunnels: [t], helper, language });
const labelOf = (m: ReturnType<typeof trayModel>) => m.items.find((i) => i.id === 'tunnel:office')?.label;

describe('the tray and on-demand rules', () => {
  it('says a tunnel is on because of a rule, in the menu and the tooltip, in English and Japanese', () => {
    const t: TrayTunnel = { name: 'office', state: 'up', rxRate: 0, txRate: 0, byRule: true };
    assert.equal(labelOf(model(t)), 'office — on by an on-demand rule');
    assert.match(model(t).tooltip, /office: on \(on by an on-demand rule\)/);
    assert.equal(labelOf(model(t, 'ja')), 'office — オンデマンドのルールでオン');
    assert.equal(labelOf(model({ ...t, state: 'connecting' })), 'office (connecting) — on by an on-demand rule');
  });
  it('says nothing of rules for a tunnel switched by hand', () => {
    assert.equal(labelOf(model({ name: 'office', state: 'up', rxRate: 0, txRate: 0 })), 'office');
  });
});
