import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  PROTOCOL_VERSION, ProtocolError, RequestError, checkEventData, checkParams, checkResult, events, methods, parseIncoming, parseRequest,
  type MethodName,
} from '../../../../shared/control/protocol.js';

const KEY = 'pWp0D61O/A6zt4BhvWPqBVxcpujTopGz5XPdxuXy0A0=';

/** One valid params object per method, and wrong ones with the message they must produce. */
const cases: { [M in MethodName]: { good: unknown[]; bad: [unknown, RegExp][] } } = {
  hello: {
    good: [{ protocolVersion: 1 }, { protocolVersion: 1, client: 'WireDesk 0.1' }],
    bad: [[{}, /params\.protocolVersion: expected a value \(it is required\)/], [{ protocolVersion: '1' }, /params\.protocolVersion: expected an integer from 0 to 65535, got "1"/],
      [{ protocolVersion: 1.5 }, /integer/], [{ protocolVersion: 1, client: 3 }, /params\.client: expected a string/]],
  },
  listTunnels: { good: [{}], bad: [[{ x: 1 }, /params\.x: expected no such field \(unknown key\)/], [[], /params: expected an object, got an array/]] },
  network: { good: [{}], bad: [[{ interface: 'eth0' }, /params\.interface: expected no such field/]] },
  up: {
    good: [{ name: 'wg0', configText: '[Interface]\n' }, { name: 'a.b-c_d=e+f', configText: '', options: { killSwitch: 'allow-lan' } }, { name: 'x', configText: '', options: {} }],
    bad: [
      [{ name: 'wg0' }, /params\.configText: expected a value/],
      [{ name: 'this-name-is-too-long', configText: '' }, /params\.name: expected a tunnel name of 1-15 characters/],
      [{ name: 'wg/0', configText: '' }, /params\.name/],
      [{ name: '', configText: '' }, /params\.name/],
      [{ name: 'wg0', configText: 42 }, /params\.configText: expected the config text \(at most 256 KiB\), got 42/],
      [{ name: 'wg0', configText: 'x'.repeat(256 * 1024 + 1) }, /params\.configText: expected the config text/],
      [{ name: 'wg0', configText: '', options: { killSwitch: 'yes' } }, /params\.options\.killSwitch: expected one of "off", "on", "allow-lan", got "yes"/],
      [{ name: 'wg0', configText: '', options: { killSwitch: true } }, /params\.options\.killSwitch/],
      [{ name: 'wg0', configText: '', path: '/etc/wireguard/wg0.conf' }, /params\.path: expected no such field/],
    ],
  },
  down: { good: [{ name: 'wg0' }], bad: [[{}, /params\.name: expected a value/], [{ name: null }, /params\.name: expected a tunnel name.*got null/]] },
  status: { good: [{}, { name: 'wg0' }], bad: [[{ name: 5 }, /params\.name/], [null, /params: expected an object, got null/]] },
  setOptions: {
    good: [{ name: 'wg0', options: { killSwitch: 'on' } }],
    bad: [[{ name: 'wg0' }, /params\.options: expected a value/], [{ name: 'wg0', options: { killSwitch: 'on', dns: [] } }, /params\.options\.dns: expected no such field/]],
  },
  logs: {
    good: [{}, { name: 'wg0', limit: 10 }, { limit: 5000 }],
    bad: [[{ limit: 0 }, /params\.limit: expected an integer from 1 to 5000, got 0/], [{ limit: 5001 }, /5000/], [{ limit: '10' }, /params\.limit/]],
  },
  probe: {
    good: [{ name: 'office', configText: '[Interface]\n' }, { name: 'office', configText: '', timeoutMs: 3000 }],
    bad: [
      [{ name: 'office' }, /params\.configText: expected a value/],
      [{ name: 'office', configText: '', timeoutMs: 10 }, /params\.timeoutMs: expected an integer from 1000 to 60000, got 10/],
      [{ name: 'office', configText: '', routes: true }, /params\.routes: expected no such field/],
    ],
  },
  launchApp: {
    good: [{ desktopId: 'firefox.desktop', tunnel: null, session: {} }, { desktopId: 'org.gnome.Terminal.desktop', tunnel: 'office', session: { DISPLAY: ':0', XDG_RUNTIME_DIR: '/run/user/1000' } }],
    bad: [
      [{ desktopId: '/usr/share/applications/firefox.desktop', tunnel: null, session: {} }, /params\.desktopId: expected a desktop file ID/],
      [{ desktopId: 'firefox', tunnel: null, session: {} }, /params\.desktopId/],
      [{ desktopId: 'firefox.desktop', session: {} }, /params\.tunnel: expected a value/],
      [{ desktopId: 'firefox.desktop', tunnel: 'a b', session: {} }, /params\.tunnel/],
      [{ desktopId: 'firefox.desktop', tunnel: null, session: { LD_PRELOAD: '/x' } }, /params\.session\.LD_PRELOAD: expected no such field/],
      [{ desktopId: 'firefox.desktop', tunnel: null, session: {}, exec: 'sh' }, /params\.exec: expected no such field/],
    ],
  },
};

describe('the call table', () => {
  it('has a test case for every method', () => {
    assert.deepEqual(Object.keys(cases).sort(), Object.keys(methods).sort());
  });
  for (const [method, c] of Object.entries(cases) as [MethodName, (typeof cases)[MethodName]][]) {
    it(`${method}: accepts well-typed params and names the field that is wrong`, () => {
      for (const g of c.good) assert.deepEqual(checkParams(method, g), g);
      for (const [params, message] of c.bad) {
        assert.throws(() => checkParams(method, params), (e: unknown) => {
          assert.ok(e instanceof ProtocolError);
          assert.equal(e.code, 'invalid-params');
          assert.match(e.message, message);
          assert.ok(e.message.startsWith(`${method}: `));
          return true;
        }, `${method} ${JSON.stringify(params).slice(0, 80)}`);
      }
    });
  }
});

describe('requests', () => {
  it('reads { id, method, params }, with params defaulting to {}', () => {
    assert.deepEqual(parseRequest({ id: 3, method: 'status' }), { id: 3, method: 'status', params: {} });
  });
  it('refuses non-objects, bad ids, unknown methods and extra fields, keeping the id when it is readable', () => {
    const fails = (msg: unknown, code: string, id: number | null, text: RegExp) => assert.throws(() => parseRequest(msg), (e: unknown) => {
      assert.ok(e instanceof RequestError);
      assert.equal(e.code, code);
      assert.equal(e.id, id);
      assert.match(e.message, text);
      return true;
    });
    fails([1, 2], 'bad-request', null, /JSON object/);
    fails('hello', 'bad-request', null, /JSON object/);
    fails({ id: -1, method: 'hello' }, 'bad-request', null, /^id: expected an integer/);
    fails({ id: 'a', method: 'hello' }, 'bad-request', null, /^id:/);
    fails({ id: 2 ** 31, method: 'hello' }, 'bad-request', null, /^id:/);
    fails({ id: 4, method: 'rm -rf' }, 'unknown-method', 4, /Unknown method "rm -rf"; this helper knows hello, listTunnels/);
    fails({ id: 4, method: '__proto__' }, 'unknown-method', 4, /Unknown method/);
    fails({ id: 4, method: 'toString' }, 'unknown-method', 4, /Unknown method/);
    fails({ id: 5, method: 'hello', params: {}, extra: 1 }, 'bad-request', 5, /extra: unknown field/);
  });
});

describe('results and events (what the app receives)', () => {
  const status = {
    name: 'wg0', state: 'degraded', reason: 'r', diagnosis: { code: 'no-reply', message: 'm', publicKey: KEY }, killSwitch: 'on', since: 1, mtu: 1420,
    hooksSkipped: ['PostUp'], peers: [{ publicKey: KEY, endpoint: '192.0.2.1:51820', latestHandshake: null, rxBytes: 0, txBytes: 148, allowedIps: ['0.0.0.0/0'], persistentKeepalive: 0 }],
  };
  it('accepts fields a newer helper adds, and drops them', () => {
    assert.deepEqual(checkResult('up', { ...status, future: true }), status);
  });
  it('still refuses wrong types', () => {
    assert.throws(() => checkResult('up', { ...status, state: 'sideways' }), /result\.state: expected one of "down", "connecting", "up", "degraded", "error"/);
    assert.throws(() => checkResult('up', { ...status, peers: [{ ...status.peers[0], publicKey: 'short' }] }), /result\.peers\[0\]\.publicKey: expected a base64 WireGuard public key/);
    assert.throws(() => checkResult('hello', { protocolVersion: PROTOCOL_VERSION }), /result\.helperVersion/);
  });
  it('checks every event', () => {
    const samples: { [E in keyof typeof events]: unknown } = {
      'tunnel-state': { name: 'wg0', state: 'up', reason: null, diagnosis: null, at: 5 },
      stats: { name: 'wg0', at: 5, peers: [{ publicKey: KEY, endpoint: null, latestHandshake: 4, rxBytes: 1, txBytes: 2 }] },
      handshake: { name: 'wg0', publicKey: KEY, kind: 'failed', at: 5, diagnosis: { code: 'peer-under-load', message: 'x' } },
      roaming: { name: 'wg0', publicKey: KEY, from: '192.0.2.1:1', to: '192.0.2.2:1', at: 5 },
      log: { at: 5, tunnel: null, source: 'helper', text: 'hi' },
      network: { key: 'wifi:Cafe', source: 'networkmanager', connectionName: 'Cafe 5G', ssid: 'Cafe', gatewayMac: null, subnet: null, at: 5 },
    };
    for (const [e, data] of Object.entries(samples) as [keyof typeof events, unknown][]) {
      assert.deepEqual(checkEventData(e, data), data);
      assert.throws(() => checkEventData(e, { ...(data as object), at: -1, name: 7, tunnel: 7 }), /data\./, e);
    }
    assert.throws(() => checkEventData('stats', { name: 'wg0', at: 1, peers: [{ publicKey: KEY, endpoint: null, latestHandshake: null, rxBytes: -1, txBytes: 0 }] }), /data\.peers\[0\]\.rxBytes/);
  });
  it('tells replies from events', () => {
    assert.deepEqual(parseIncoming({ event: 'log', data: 1 }), { kind: 'event', event: 'log', data: 1 });
    assert.deepEqual(parseIncoming({ id: 2, result: { a: 1 } }), { kind: 'reply', id: 2, result: { a: 1 } });
    assert.deepEqual(parseIncoming({ id: null, error: { code: 'busy', message: 'm' } }), { kind: 'reply', id: null, error: { code: 'busy', message: 'm' } });
    assert.deepEqual(parseIncoming({ event: 'nope' }), { kind: 'unknown' });
    assert.throws(() => parseIncoming({ id: 1, error: { code: 'weird', message: 'm' } }), /error\.code/);
  });
});
