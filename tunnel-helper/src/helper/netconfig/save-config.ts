// SaveConfig = true: on down, the running state becomes the new config, as
// wg-quick's save_config writes it: its own keys first (the addresses on the
// interface now, DNS, MTU and Table if the config had them, SaveConfig, the
// hooks), then `wg showconf` without its [Interface] line. Two deliberate
// differences: link-local addresses the kernel added are not saved, and DNS
// search domains are kept (wg-quick re-reads resolvconf and loses them).
import { randomBytes } from 'node:crypto';
import {
  closeSync, constants, fchmodSync, fchownSync, fstatSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { encodeKey, inetNtop, isZeroKey, parseIp } from '../../../../shared/config/index.js';
import type { DeviceState } from '../../engine/uapi/device-api.js';
import type { BeginEntry } from './journal.js';
import { formatAllowedIp, formatShowEndpoint } from './show-format.js';

/** `wg showconf IFNAME`, byte for byte (showconf.c). */
export function showconf(state: DeviceState): string {
  const out = ['[Interface]'];
  if (state.listenPort) out.push(`ListenPort = ${state.listenPort}`);
  if (state.fwmark) out.push(`FwMark = 0x${(state.fwmark >>> 0).toString(16)}`);
  if (state.privateKey && !isZeroKey(state.privateKey)) out.push(`PrivateKey = ${encodeKey(state.privateKey)}`);
  out.push('');
  state.peers.forEach((peer, i) => {
    out.push('[Peer]', `PublicKey = ${encodeKey(peer.publicKey)}`);
    if (peer.presharedKey && !isZeroKey(peer.presharedKey)) out.push(`PresharedKey = ${encodeKey(peer.presharedKey)}`);
    if (peer.allowedIps.length > 0) out.push(`AllowedIPs = ${peer.allowedIps.map(formatAllowedIp).join(', ')}`);
    if (peer.endpoint) out.push(`Endpoint = ${formatShowEndpoint(peer.endpoint)}`);
    if (peer.persistentKeepaliveInterval) out.push(`PersistentKeepalive = ${peer.persistentKeepaliveInterval}`);
    if (i < state.peers.length - 1) out.push('');
  });
  return `${out.join('\n')}\n`;
}

export interface LiveInterface {
  /** `10.0.0.2/24` as on the interface now (global scope only). */
  addresses: string[];
  mtu: number | null;
}

export function savedConfigText(begin: BeginEntry, state: DeviceState, live: LiveInterface): string {
  const head = ['[Interface]'];
  for (const a of live.addresses) {
    const [addr, len] = a.split('/');
    const ip = parseIp(addr ?? '');
    head.push(`Address = ${ip ? inetNtop(ip) : addr}${len !== undefined ? `/${len}` : ''}`);
  }
  for (const d of [...begin.dns, ...begin.dnsSearch]) head.push(`DNS = ${d}`);
  if (begin.mtuFromConfig && live.mtu !== null) head.push(`MTU = ${live.mtu}`);
  if (begin.table !== undefined) head.push(`Table = ${begin.table}`);
  if (begin.saveConfig) head.push('SaveConfig = true');
  for (const c of begin.hooks.preUp) head.push(`PreUp = ${c}`);
  for (const c of begin.hooks.postUp) head.push(`PostUp = ${c}`);
  for (const c of begin.hooks.preDown) head.push(`PreDown = ${c}`);
  for (const c of begin.hooks.postDown) head.push(`PostDown = ${c}`);
  const body = showconf(state).slice('[Interface]\n'.length);
  // wg-quick takes showconf through $(...) (trailing newlines go) and echo (one comes back).
  return `${`${head.join('\n')}\n${body}`.replace(/\n+$/, '')}\n`;
}

/**
 * Writes the file as wg-quick does: a private temporary file, synced, then
 * renamed over. Runs as root, usually in a directory of the config's owner, so:
 * the directory must not be writable by anyone but root, us or the file's
 * owner (unless sticky); the temporary file gets a random name and is created
 * exclusively (O_EXCL|O_NOFOLLOW, 0600), never opened if someone planted it;
 * and it takes the original file's owner, group and mode through its fd
 * before the keys are written into it.
 */
export function writeConfigFile(path: string, text: string): void {
  const abs = resolve(path);
  const dir = dirname(abs);
  const myUid = process.geteuid?.() ?? 0;
  let target: { uid: number; gid: number; mode: number };
  try {
    const st = statSync(abs);
    target = { uid: st.uid, gid: st.gid, mode: st.mode & 0o777 };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    target = { uid: myUid, gid: process.getegid?.() ?? 0, mode: 0o600 };
  }
  const d = statSync(dir);
  if (d.uid !== 0 && d.uid !== myUid && d.uid !== target.uid) {
    throw new Error(`not saving ${abs}: its directory ${dir} is owned by uid ${d.uid}, neither root nor the file's owner`);
  }
  if ((d.mode & 0o022) !== 0 && (d.mode & 0o1000) === 0) {
    throw new Error(`not saving ${abs}: its directory ${dir} is writable by ${(d.mode & 0o002) !== 0 ? 'everyone' : 'its group'} (mode ${(d.mode & 0o7777).toString(8)}), so another user could swap the file`);
  }
  const tmp = join(dir, `.${basename(abs)}.${randomBytes(8).toString('hex')}.tmp`);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    const own = fstatSync(fd);
    if (own.uid !== target.uid || own.gid !== target.gid) fchownSync(fd, target.uid, target.gid);
    fchmodSync(fd, target.mode);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
  } catch (err) {
    try { closeSync(fd); } catch { /* closed */ }
    try { unlinkSync(tmp); } catch { /* gone */ }
    throw err;
  }
  try {
    renameSync(tmp, abs);
  } catch (err) {
    try { unlinkSync(tmp); } catch { /* gone */ }
    throw err;
  }
}
