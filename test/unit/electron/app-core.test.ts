import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAppCore } from '../../../electron/app-core/app-core.js';
import { notificationFor } from '../../../electron/app-core/tray/notification-model.js';
import { FakeHelper, fakeLauncher, loaded, PEER_KEY, recordingPorts, sampleConfig } from './fakes.js';

function setup(opts: { running?: boolean } = {}) {
  const helper = new FakeHelper();
  const launcher = fakeLauncher(helper, opts);
  const ports = recordingPorts(launcher);
  const core = createAppCore(ports);
  core.profiles.write('office', loaded(sampleConfig()));
  return { helper, launcher, ports, core };
}

describe('tunnel service', () => {
  it('launches the helper on first use, shows connecting at once, and is up only when the helper says so', async () => {
    const { helper, launcher, ports, core } = setup();
    await core.handlers['tunnels:setActive']('office', true);
    assert.equal(launcher.launches, 1);
    assert.equal(helper.upCalls[0]?.configText, sampleConfig(), 'the helper gets the config text, not a path');
    assert.deepEqual(helper.upCalls[0]?.options, { killSwitch: 'off', deadAfterSeconds: 20 }, 'the settings: kill switch off, 20 s dead-tunnel time');
    assert.equal(core.tunnels.stateOf('office'), 'connecting');
    helper.send('tunnel-state', { name: 'office', state: 'up', reason: null, diagnosis: null, at: 2 });
    assert.deepEqual(ports.eventsOf('tunnel:state').map((e) => e.state), ['connecting', 'up']);
    assert.equal(ports.notifications.at(-1)?.title, 'office is on');
  });

  it('does not launch again when a helper is already running', async () => {
    const { launcher, core } = setup({ running: true });
    await core.handlers['tunnels:setActive']('office', true);
    assert.equal(launcher.launches, 0);
  });

  it('turns counters into rates and keeps them as history', async () => {
    const { helper, ports, core } = setup({ running: true });
    await core.handlers['tunnels:setActive']('office', true);
    const peer = (rx: number, tx: number) => ({ publicKey: PEER_KEY, rxBytes: rx, txBytes: tx, latestHandshake: 1, endpoint: '192.0.2.1:51820' });
    helper.send('stats', { name: 'office', at: 10_000, peers: [peer(1000, 2000)] });
    helper.send('stats', { name: 'office', at: 11_000, peers: [peer(4000, 2500)] });
    const last = ports.eventsOf('tunnel:stats').at(-1);
    assert.equal(last?.rxRate, 3000);
    assert.equal(last?.txRate, 500);
    assert.deepEqual(core.handlers['tunnels:history']('office'), {
      rates: [{ at: 10_000, rx: 0, tx: 0 }, { at: 11_000, rx: 3000, tx: 500 }],
      handshakes: [], roaming: [], latest: last,
    });
  });

  it('records roaming and handshakes for the timelines', async () => {
    const { helper, core } = setup({ running: true });
    await core.handlers['tunnels:setActive']('office', true);
    helper.send('roaming', { name: 'office', publicKey: PEER_KEY, at: 5, from: '192.0.2.1:51820', to: '192.0.2.9:51820' });
    helper.send('handshake', { name: 'office', publicKey: PEER_KEY, at: 6, kind: 'completed', diagnosis: null });
    const h = await core.handlers['tunnels:history']('office');
    assert.equal(h.roaming[0]?.to, '192.0.2.9:51820');
    assert.equal(h.handshakes[0]?.kind, 'completed');
  });

  it('shows the helper error and a diagnosis when up fails', async () => {
    const { helper, core } = setup({ running: true });
    helper.failUp = new Error('office overlaps the running tunnel home (both route 0.0.0.0/0)');
    await assert.rejects(async () => core.handlers['tunnels:setActive']('office', true), /overlaps/);
    const s = core.tunnels.summary('office');
    assert.equal(s.state, 'error');
    assert.match(s.diagnosis?.message ?? '', /overlaps/);
  });

  it('keeps the helper\'s own diagnosis of a failed up, which arrives before the reply', async () => {
    const { helper, core } = setup({ running: true });
    const message = 'could not resolve endpoint host vpn.example.com: no such host; check the Endpoint line and your DNS';
    helper.up = async (p) => {
      helper.send('tunnel-state', { name: p.name, state: 'error', reason: message, at: 3,
        diagnosis: { code: 'endpoint-unresolved', message: `The endpoint could not be resolved: ${message}.`, endpoint: 'vpn.example.com' } });
      throw new Error(message);
    };
    await assert.rejects(async () => core.handlers['tunnels:setActive']('office', true), /resolve/);
    const s = core.tunnels.summary('office');
    assert.equal(s.state, 'error');
    assert.equal(s.diagnosis?.code, 'endpoint-unresolved');
    assert.equal(s.diagnosis?.endpoint, 'vpn.example.com');
  });

  it('marks running tunnels as failed when the helper goes away, and offers a restart', async () => {
    const { helper, core } = setup({ running: true });
    await core.handlers['tunnels:setActive']('office', true);
    helper.link('closed', 'socket closed');
    assert.equal(core.tunnels.stateOf('office'), 'error');
    assert.equal(core.tunnels.summary('office').diagnosis?.code, 'helper-lost');
    assert.ok(core.tray().items.some((i) => i.id === 'restart-helper'));
  });

  it('keeps private keys out of the logs', async () => {
    const { helper, core } = setup({ running: true });
    await core.handlers['tunnels:setActive']('office', true);
    helper.send('log', { tunnel: 'office', at: 1, source: 'engine', text: 'set PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=' });
    const logs = await core.handlers['tunnels:logs']('office');
    assert.ok(logs.every((l) => !l.text.includes('yAnz5TF')));
    assert.ok(logs.some((l) => l.text.includes('PrivateKey = (hidden)')));
  });

  it('toggles through the tray menu model', async () => {
    const { helper, core } = setup({ running: true });
    await core.clickTrayItem('tunnel:office');
    assert.equal(helper.upCalls.length, 1);
    helper.send('tunnel-state', { name: 'office', state: 'up', reason: null, diagnosis: null, at: 2 });
    assert.equal(core.tray().icon, 'on');
    await core.clickTrayItem('tunnel:office');
    assert.deepEqual(helper.downCalls, ['office']);
    assert.equal(core.tray().icon, 'off');
  });

  it('lists only public data: the public key, never the private key', async () => {
    const { core } = setup();
    const list = JSON.stringify(await core.handlers['tunnels:list']());
    const detail = JSON.stringify(await core.handlers['tunnels:detail']('office'));
    assert.ok(!list.includes('yAnz5TF') && !detail.includes('yAnz5TF'));
    assert.match(detail, /"publicKey":"[A-Za-z0-9+/]{43}="/);
  });

  it('refuses to save a config with errors, naming the line', async () => {
    const { core } = setup();
    const r = await core.handlers['tunnels:save']('office', 'office', '[Interface]\nPrivateKey = nope\n');
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.message, /^Line 2: /);
  });

  it('renames a stopped tunnel on save', async () => {
    const { core } = setup();
    const r = await core.handlers['tunnels:save']('office', 'work', sampleConfig());
    assert.deepEqual(r, { ok: true, name: 'work' });
    assert.deepEqual(core.profiles.list(), ['work']);
  });
});

describe('notifications', () => {
  it('notify on up, down after up, degraded and error; not on connecting or a cancelled connect', () => {
    const diagnosis = { code: 'no-reply', message: 'English from the helper', endpoint: '192.0.2.1:51820', evidence: 'no-reply', sentBytes: 444, windowSeconds: 20 } as const;
    const n = (previous: 'down' | 'connecting' | 'up', state: 'down' | 'connecting' | 'up' | 'degraded' | 'error', lang: 'en' | 'ja' = 'en') =>
      notificationFor({ name: 'office', previous, state, diagnosis }, lang);
    assert.equal(n('connecting', 'up')?.title, 'office is on');
    assert.equal(n('up', 'down')?.title, 'office is off');
    assert.match(n('up', 'degraded')?.body ?? '', /^No reply from 192\.0\.2\.1:51820: 444 bytes of handshake attempts were sent in the last 20 seconds/);
    assert.match(n('up', 'degraded', 'ja')?.body ?? '', /^192\.0\.2\.1:51820 から応答がありません。直近 20 秒間にハンドシェイクを 444 バイト送信しましたが/);
    assert.equal(n('connecting', 'error')?.urgency, 'critical');
    assert.equal(n('down', 'connecting'), null);
    assert.equal(n('connecting', 'down'), null);
  });
});
