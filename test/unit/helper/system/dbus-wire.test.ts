// The D-Bus wire format: what we write reads back, the fixed bytes of a
// known message, and hostile bytes throw DbusWireError instead of crashing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DbusReader, DbusWireError, DbusWriter, decodeMessage, encodeCall, messageLength, splitSignature } from '../../../../tunnel-helper/src/helper/system/dbus-wire.js';
import { socketPathOf, SYSTEM_BUS_SOCKET } from '../../../../tunnel-helper/src/helper/system/dbus-client.js';

describe('D-Bus wire format', () => {
  it('splits signatures into complete types', () => {
    assert.deepEqual(splitSignature('a{sv}s(ub)ay'), ['a{sv}', 's', '(ub)', 'ay']);
    assert.throws(() => splitSignature('a{sv'), DbusWireError);
    assert.throws(() => splitSignature('h'), DbusWireError, 'unix fds are refused');
  });

  it('reads back what it writes, with alignment', () => {
    const w = new DbusWriter();
    const values = ['y', 'u', 's', 'as', '(ub)', 'v', 'a(yv)'] as const;
    const data = [7, 0xdeadbeef, 'héllo', ['a', 'bc'], [5, true], { signature: 's', value: 'x' }, [[1, { signature: 'o', value: '/a/b' }]]];
    values.forEach((t, i) => w.write(t, data[i]!));
    const r = new DbusReader(w.toBuffer(), 0, true);
    assert.deepEqual(values.map((t) => r.read(t)), data);
  });

  it('encodes a method call that decodes to the same fields', () => {
    const buf = encodeCall(9, { destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'AddMatch', signature: 's', body: ["type='signal'"] });
    assert.equal(buf[0], 0x6c, 'little-endian');
    assert.equal(buf[1], 1, 'a method call');
    assert.equal(messageLength(buf), buf.length);
    const m = decodeMessage(buf);
    assert.deepEqual([m.serial, m.path, m.interface, m.member, m.destination, m.signature, m.body], [9, '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'AddMatch', 'org.freedesktop.DBus', 's', ["type='signal'"]]);
  });

  it('reads big-endian values, as a bus may send them', () => {
    const be = Buffer.from([0, 0, 0, 1, 0, 0, 0, 3, 0x61, 0x62, 0x63, 0]);
    const r = new DbusReader(be, 0, false);
    assert.deepEqual([r.read('b'), r.read('s')], [true, 'abc']);
  });

  it('refuses hostile bytes with DbusWireError', () => {
    const good = encodeCall(1, { destination: 'a.b', path: '/', interface: 'a.b', member: 'M', signature: 's', body: ['x'] });
    for (let cut = 16; cut < good.length; cut += 3) {
      assert.throws(() => decodeMessage(good.subarray(0, cut)), DbusWireError, `cut at ${cut}`);
    }
    const badEndian = Buffer.from(good);
    badEndian[0] = 0x58;
    assert.throws(() => messageLength(badEndian), DbusWireError);
    const huge = Buffer.from(good);
    huge.writeUInt32LE(0x7fffffff, 4);
    assert.throws(() => messageLength(huge), DbusWireError, 'a body over the limit');
    const longString = Buffer.alloc(8);
    longString.writeUInt32LE(1000, 0);
    assert.throws(() => new DbusReader(longString, 0, true).read('s'), DbusWireError);
    const badBool = Buffer.from([2, 0, 0, 0]);
    assert.throws(() => new DbusReader(badBool, 0, true).read('b'), DbusWireError);
    const noNul = Buffer.from([1, 0, 0, 0, 0x41, 0x41]);
    assert.throws(() => new DbusReader(noNul, 0, true).read('s'), DbusWireError);
    const nest = Buffer.alloc(4096);
    for (let i = 0; i < 40; i++) { nest[i * 3] = 1; nest[i * 3 + 1] = 0x76; nest[i * 3 + 2] = 0; }
    assert.throws(() => new DbusReader(nest, 0, true).read('v'), DbusWireError, 'variants nested past the limit');
  });

  it('finds the unix socket of a bus address', () => {
    assert.equal(socketPathOf('unix:path=/tmp/x/bus,guid=abc'), '/tmp/x/bus');
    assert.equal(socketPathOf('tcp:host=a;unix:abstract=/tmp/dbus-1'), '\0/tmp/dbus-1');
    assert.equal(socketPathOf('unix:path=/tmp/a%20b'), '/tmp/a b');
    assert.equal(socketPathOf(undefined), SYSTEM_BUS_SOCKET);
  });
});
