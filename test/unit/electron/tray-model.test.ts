import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { combinedIcon, findAction, trayModel, type TrayState, type TrayTunnel } from '../../../electron/app-core/tray/tray-model.js';
import type { TunnelState } from '../../../shared/ipc/types.js';

const helperOk = { state: 'connected', installed: 'current' } as const;
const tunnel = (name: string, state: TunnelState, extra: Partial<TrayTunnel> = {}): TrayTunnel => ({ name, state, rxRate: 0, txRate: 0, ...extra });
const model = (tunnels: TrayTunnel[], over: Partial<TrayState> = {}) => trayModel({ tunnels, helper: helperOk, language: 'en', ...over });
const labels = (m: ReturnType<typeof trayModel>) => m.items.map((i) => i.label ?? `--${i.type}`);

describe('tray menu model', () => {
  it('with every tunnel off: off icon, "all tunnels off", unchecked boxes that switch on', () => {
    const m = model([tunnel('home', 'down'), tunnel('office', 'down')]);
    assert.equal(m.icon, 'off');
    assert.equal(m.tooltip, 'WireDesk — all tunnels off');
    assert.deepEqual(labels(m), ['Status: all tunnels off', '--separator', 'home', 'office', '--separator', 'Exclude the network I’m on', 'Import tunnel(s) from file…', 'Manage tunnels…', '--separator', 'Quit']);
    const home = m.items.find((i) => i.id === 'tunnel:home');
    assert.equal(home?.type, 'checkbox');
    assert.equal(home?.checked, false);
    assert.deepEqual(home?.action, { kind: 'toggle', name: 'home', active: true });
  });

  it('while connecting: connecting icon, checked box that switches off, state in the label', () => {
    const m = model([tunnel('office', 'connecting')]);
    assert.equal(m.icon, 'connecting');
    assert.equal(m.items[0]?.label, 'Status: connecting office');
    const item = m.items.find((i) => i.id === 'tunnel:office');
    assert.equal(item?.label, 'office (connecting)');
    assert.equal(item?.checked, true);
    assert.deepEqual(item?.action, { kind: 'toggle', name: 'office', active: false });
  });

  it('when up: on icon, and the tooltip lists the tunnel with its rates', () => {
    const m = model([tunnel('office', 'up', { rxRate: 2734, txRate: 512 }), tunnel('home', 'down')]);
    assert.equal(m.icon, 'on');
    assert.equal(m.items[0]?.label, 'Status: on office');
    assert.equal(m.tooltip, 'WireDesk\noffice: on ↓ 2.67 KiB/s ↑ 512 B/s');
    assert.equal(m.items.find((i) => i.id === 'tunnel:office')?.label, 'office');
  });

  it('when degraded: degraded icon and the diagnosis in the status line', () => {
    const diagnosis = { code: 'engine-stopped', message: 'English from the helper', engineStop: 'turned-off' } as const;
    const m = model([tunnel('office', 'degraded', { diagnosis }), tunnel('home', 'up')]);
    assert.equal(m.icon, 'degraded');
    assert.equal(m.items[0]?.label, 'Status: office degraded — The tunnel engine stopped unexpectedly, so the tunnel was turned off and its routes and DNS removed. Turn it on again to reconnect.');
    // Worded from the code in the tray's language, not the helper's English.
    assert.equal(model([tunnel('office', 'degraded', { diagnosis })], { language: 'ja' }).items[0]?.label,
      '状態: office 不調 — トンネルエンジンが予期せず停止したため、トンネルをオフにし、ルートと DNS 設定を削除しました。再びオンにすると再接続します。');
  });

  it('on error: error icon wins over every other state', () => {
    assert.equal(combinedIcon([tunnel('a', 'up'), tunnel('b', 'degraded'), tunnel('c', 'error'), tunnel('d', 'connecting')]), 'error');
    assert.equal(combinedIcon([tunnel('a', 'up'), tunnel('b', 'connecting')]), 'connecting');
    assert.equal(combinedIcon([]), 'off');
  });

  it('when the helper stopped: says so and offers a restart', () => {
    const m = model([tunnel('office', 'error')], { helper: { state: 'failed', installed: 'current' } });
    assert.equal(m.items[0]?.label, 'Status: helper stopped');
    assert.deepEqual(findAction(m.items, 'restart-helper'), { kind: 'restart-helper' });
  });

  it('when the helper is another version: says so and offers the update', () => {
    const m = model([tunnel('office', 'error')], { helper: { state: 'outdated', installed: 'outdated' } });
    assert.equal(m.items[0]?.label, 'Status: the helper needs an update');
    assert.deepEqual(findAction(m.items, 'update-helper'), { kind: 'update-helper' });
    assert.equal(findAction(m.items, 'restart-helper'), undefined);
  });

  it('with no tunnels: a disabled hint instead of an empty list', () => {
    const m = model([]);
    assert.equal(m.items.find((i) => i.id === 'no-tunnels')?.enabled, false);
  });

  it('moves more than ten tunnels into a submenu whose items are still clickable', () => {
    const many = Array.from({ length: 11 }, (_, i) => tunnel(`t${i}`, 'down'));
    const m = model(many);
    const sub = m.items.find((i) => i.id === 'tunnels');
    assert.equal(sub?.type, 'submenu');
    assert.equal(sub?.submenu?.length, 11);
    assert.deepEqual(findAction(m.items, 'tunnel:t7'), { kind: 'toggle', name: 't7', active: true });
  });

  it('speaks Japanese when asked', () => {
    const m = model([tunnel('office', 'up')], { language: 'ja' });
    assert.equal(m.items[0]?.label, '状態: オン office');
    assert.equal(m.items.find((i) => i.id === 'quit')?.label, '終了');
  });

  it('"exclude the network I\'m on": one checkbox per tunnel, in both languages', () => {
    const m = model([tunnel('home', 'up', { excludeLan: true }), tunnel('office', 'down')]);
    const sub = m.items.find((i) => i.id === 'exclude-lan');
    assert.equal(sub?.type, 'submenu');
    assert.deepEqual(sub?.submenu?.map((i) => [i.label, i.checked]), [['home', true], ['office', false]]);
    assert.deepEqual(findAction(m.items, 'exclude-lan:home'), { kind: 'exclude-lan', name: 'home', on: false });
    assert.deepEqual(findAction(m.items, 'exclude-lan:office'), { kind: 'exclude-lan', name: 'office', on: true });
    assert.equal(model([tunnel('home', 'up')], { language: 'ja' }).items.find((i) => i.id === 'exclude-lan')?.label, '接続中のネットワークを除外');
    assert.equal(model([]).items.find((i) => i.id === 'exclude-lan'), undefined);
  });
});
