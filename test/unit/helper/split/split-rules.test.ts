// Split tunneling's pure parts: where cgroup2 is mounted and how nft names a
// cgroup there, the nft table and ip rules, the kill switch's exception,
// and who the invoking user is.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cgroup2Mounts, splitCgroup } from '../../../../tunnel-helper/src/helper/split/cgroup2.js';
import { cgroupLeaf, outsideRuleSelector, pinRoutes, pinRuleSelector, splitRuleset } from '../../../../tunnel-helper/src/helper/split/split-rules.js';
import { invokingUser, userEnvironment } from '../../../../tunnel-helper/src/helper/split/launch.js';
import { killSwitchRuleset } from '../../../../tunnel-helper/src/helper/netconfig/kill-switch.js';
import { formatSplitStatus } from '../../../../tunnel-helper/src/helper/split/split-status.js';

const HYBRID = `30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw`;
const UNIFIED = '29 22 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate';

describe('split tunneling: cgroups', () => {
  it('finds cgroup2 in hybrid and unified layouts, /sys/fs/cgroup first', () => {
    assert.deepEqual(cgroup2Mounts(HYBRID), [{ root: '/', mountPoint: '/sys/fs/cgroup/unified' }]);
    assert.deepEqual(cgroup2Mounts(UNIFIED), [{ root: '/', mountPoint: '/sys/fs/cgroup' }]);
    assert.deepEqual(cgroup2Mounts(`${HYBRID}\n99 1 0:40 / /mnt/cg\\040two rw - cgroup2 none rw\n${UNIFIED}`).map((m) => m.mountPoint),
      ['/sys/fs/cgroup', '/sys/fs/cgroup/unified', '/mnt/cg two']);
    assert.deepEqual(cgroup2Mounts('garbage\n\n1 2 3'), []);
  });

  it('names the cgroup to nft relative to /sys/fs/cgroup, at its depth in the v2 hierarchy', () => {
    assert.deepEqual(splitCgroup({ root: '/', mountPoint: '/sys/fs/cgroup/unified' }, 'wiredesk', 'outside'),
      { dir: '/sys/fs/cgroup/unified/wiredesk/outside', nftPath: 'unified/wiredesk/outside', level: 2 });
    assert.deepEqual(splitCgroup({ root: '/', mountPoint: '/sys/fs/cgroup' }, 'wiredesk', 'tunnel-wg0'),
      { dir: '/sys/fs/cgroup/wiredesk/tunnel-wg0', nftPath: 'wiredesk/tunnel-wg0', level: 2 });
    assert.equal((splitCgroup({ root: '/user.slice', mountPoint: '/sys/fs/cgroup' }, 'wiredesk', 'outside') as { level: number }).level, 3);
    assert.match(splitCgroup({ root: '/', mountPoint: '/mnt/cg' }, 'wiredesk', 'outside') as string, /outside \/sys\/fs\/cgroup, where nft looks/);
  });

  it('gives every interface name its own leaf', () => {
    assert.equal(cgroupLeaf('outside'), 'outside');
    assert.equal(cgroupLeaf({ ifname: 'wg0' }), 'tunnel-wg0');
    assert.notEqual(cgroupLeaf({ ifname: 'a=b' }), cgroupLeaf({ ifname: 'a+b' }));
  });
});

describe('split tunneling: nft and policy routing', () => {
  const outside = { dir: '/sys/fs/cgroup/wiredesk/outside', nftPath: 'wiredesk/outside', level: 2 };
  const pin = { ifname: 'office', slot: 3, cgroup: { dir: '/sys/fs/cgroup/wiredesk/tunnel-office', nftPath: 'wiredesk/tunnel-office', level: 2 } };

  it('marks the cgroups\' sockets in a route chain, masquerades, and holds pins to their tunnel', () => {
    const text = splitRuleset({ outside, pins: [pin] });
    assert.match(text, /^table inet wiredesk-split \{\}\ndelete table inet wiredesk-split\n/, 'replaces the table in one transaction');
    assert.match(text, /type route hook output priority mangle;[^]*socket cgroupv2 level 2 "wiredesk\/outside" meta mark set 0x77640000 ct mark set meta mark/);
    assert.match(text, /socket cgroupv2 level 2 "wiredesk\/tunnel-office" meta mark set 0x77640003/);
    assert.match(text, /type nat hook postrouting priority srcnat;[^]*meta mark 0x77640000 oifname != "lo" masquerade\n\s*meta mark 0x77640003 oifname "office" masquerade/);
    assert.match(text, /meta mark 0x77640003 oifname != \{ "lo", "office" \} counter drop/);
    assert.match(text, /ct mark and 0xffffff00 == 0x77640000 meta mark set ct mark/);
    assert.doesNotMatch(splitRuleset({ outside: null, pins: [pin] }), /0x77640000 (oifname|ct mark set)/, 'no outside rule without the outside cgroup');
  });

  it('puts the rules ahead of wg-quick\'s, a pin\'s table with its tunnel over a blackhole', () => {
    assert.deepEqual(outsideRuleSelector(), ['pref', '5208', 'fwmark', '0x77640000', 'lookup', 'main']);
    assert.deepEqual(pinRuleSelector(3), ['pref', '5209', 'fwmark', '0x77640003', 'lookup', String(0x77640003)]);
    assert.deepEqual(pinRoutes('office', 3), {
      tunnel: ['default', 'dev', 'office', 'table', String(0x77640003)],
      blackhole: ['unreachable', 'default', 'metric', '4294967295', 'table', String(0x77640003)],
    });
  });

  it('the kill switch lets split traffic out, after the engine and before anything it drops', () => {
    const ks = killSwitchRuleset({ ifname: 'wg0', mode: 'on', fwmark: 51820, endpoints: [], addresses: [], dns: [] });
    const lines = ks.split('\n').map((l) => l.trim());
    const at = lines.indexOf('meta mark and 0xffffff00 == 0x77640000 accept');
    assert.ok(at > lines.indexOf('meta mark 51820 accept'), ks);
    assert.ok(at < lines.findIndex((l) => l.endsWith('drop')), ks);
  });
});

describe('split tunneling: the invoking user', () => {
  const passwd = 'root:x:0:0:root:/root:/bin/bash\nann:x:1000:1000:Ann:/home/ann:/bin/zsh\n';

  it('is SUDO_UID/SUDO_GID, else PKEXEC_UID with its passwd group, else root', () => {
    assert.deepEqual(invokingUser({ SUDO_UID: '1000', SUDO_GID: '1000' }, passwd), { uid: 1000, gid: 1000, name: 'ann', home: '/home/ann', shell: '/bin/zsh' });
    assert.deepEqual(invokingUser({ PKEXEC_UID: '1000' }, passwd), { uid: 1000, gid: 1000, name: 'ann', home: '/home/ann', shell: '/bin/zsh' });
    assert.deepEqual(invokingUser({ SUDO_UID: '4242', SUDO_GID: '4242' }, passwd), { uid: 4242, gid: 4242, name: null, home: '/', shell: '/bin/sh' });
    assert.equal(invokingUser({}, passwd) && (invokingUser({}, passwd) as { uid: number }).uid, 0);
    assert.match(invokingUser({ SUDO_UID: '-1' }, passwd) as string, /SUDO_UID is not a user id/);
    assert.match(invokingUser({ PKEXEC_UID: '4242' }, passwd) as string, /cannot tell the group/);
  });

  it('gets its own HOME, USER, LOGNAME and SHELL, and no SUDO_ variables', () => {
    const env = userEnvironment({ uid: 1000, gid: 1000, name: 'ann', home: '/home/ann', shell: '/bin/zsh' },
      { HOME: '/root', USER: 'root', SUDO_UID: '1000', SUDO_COMMAND: 'x', PKEXEC_UID: '1000', DISPLAY: ':0', LOGNAME: 'root' });
    assert.deepEqual(env, { HOME: '/home/ann', USER: 'ann', LOGNAME: 'ann', SHELL: '/bin/zsh', DISPLAY: ':0' });
  });
});

describe('split tunneling: wiredesk show', () => {
  it('lists each rule with its processes, and says when a pinned tunnel is down', () => {
    assert.equal(formatSplitStatus([], () => true), '');
    assert.equal(formatSplitStatus([{ tunnel: null, processes: 2 }, { tunnel: 'office', processes: 1 }, { tunnel: 'home', processes: null }], (n) => n === 'home'),
      'split tunneling (wiredesk exec):\n  outside every tunnel: 2 processes\n  only through office: 1 process (blocked: office is down)\n'
      + '  only through home: processes not visible here\n');
  });
});
