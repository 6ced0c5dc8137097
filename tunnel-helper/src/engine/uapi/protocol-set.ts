// The `set=1` request (wireguard.com/xplatform, wg-go device/uapi.go).
//
//   set=1
//   [device lines]     private_key, listen_port, fwmark, replace_peers=true
//   public_key=<hex>   starts a peer; every later line belongs to a peer
//   [peer lines]       update_only=true, remove=true, preshared_key, endpoint,
//                      persistent_keepalive_interval, replace_allowed_ips=true,
//                      allowed_ip=[-]<cidr> (repeatable), protocol_version=1
//   <blank line>
//
// wg-go applies each line as it reads it, so a bad line leaves a half-applied
// device. We validate the whole request into a SetRequest first and apply it
// only when every line parsed. Errors use wg-go's codes: EPROTO for a line
// with no `=`, EINVAL for everything else (unknown keys, bad values, a peer
// key before any public_key, a device key after one, protocol_version != 1).

import type { PeerOp, SetRequest } from './device-api.js';
import { parseDecimal } from '../../../../shared/config/decimal.js';
import { Errno, UapiError } from './errors.js';
import { formatIp, parseIpEndpoint } from '../../../../shared/config/ip.js';
import { formatPrefix, parsePrefix } from './allowed-ip-endpoint.js';
import { clampPrivateKey, isZeroKey, keyFromHex, keyToHex } from '../../../../shared/config/keys.js';

const PEER_KEYS = new Set([
  'update_only', 'remove', 'preshared_key', 'endpoint', 'persistent_keepalive_interval',
  'replace_allowed_ips', 'allowed_ip', 'protocol_version',
]);
const DEVICE_KEYS = new Set(['private_key', 'listen_port', 'fwmark', 'replace_peers']);

/** Reads the lines of one `set=1` request, one at a time, into a SetRequest. */
export class SetParser {
  private readonly request: SetRequest = { replacePeers: false, peers: [] };
  private peer: PeerOp | null = null;
  private lineNumber = 0;

  /** Validates one line (without its newline); throws UapiError. */
  line(text: string): void {
    this.lineNumber++;
    const eq = text.indexOf('=');
    if (eq === -1) this.fail(Errno.EPROTO, `expected key=value, got ${quote(text)}`);
    const key = text.slice(0, eq);
    const value = text.slice(eq + 1);
    if (key === 'public_key') {
      const publicKey = keyFromHex(value) ?? this.fail(Errno.EINVAL, `public_key must be 64 hex digits, got ${quote(value)}`);
      this.peer = { publicKey, remove: false, updateOnly: false, replaceAllowedIps: false, allowedIps: [] };
      this.request.peers.push(this.peer);
    } else if (this.peer === null) {
      this.deviceLine(key, value);
    } else {
      this.peerLine(this.peer, key, value);
    }
  }

  /** The request once every line has been accepted. */
  finish(): SetRequest {
    return this.request;
  }

  private deviceLine(key: string, value: string): void {
    const req = this.request;
    switch (key) {
      case 'private_key': {
        const sk = keyFromHex(value) ?? this.fail(Errno.EINVAL, `private_key must be 64 hex digits, got ${secretShape(value)}`);
        req.privateKey = isZeroKey(sk) ? null : clampPrivateKey(sk);
        return;
      }
      case 'listen_port':
        req.listenPort = this.number(key, value, 0xffff);
        return;
      case 'fwmark':
        req.fwmark = this.number(key, value, 0xffffffff);
        return;
      case 'replace_peers':
        req.replacePeers = this.flag(key, value);
        return;
    }
    if (PEER_KEYS.has(key)) this.fail(Errno.EINVAL, `${key} is a peer key: it must follow a public_key line`);
    this.fail(Errno.EINVAL, `unknown device key ${quote(key)}`);
  }

  private peerLine(peer: PeerOp, key: string, value: string): void {
    switch (key) {
      case 'update_only':
        peer.updateOnly = this.flag(key, value);
        return;
      case 'remove':
        peer.remove = this.flag(key, value);
        return;
      case 'preshared_key': {
        const psk = keyFromHex(value) ?? this.fail(Errno.EINVAL, `preshared_key must be 64 hex digits, got ${secretShape(value)}`);
        peer.presharedKey = isZeroKey(psk) ? null : psk;
        return;
      }
      case 'endpoint':
        peer.endpoint = parseIpEndpoint(value) ??
          this.fail(Errno.EINVAL, `endpoint must be a numeric IP:port or [IPv6]:port, got ${quote(value)}`);
        return;
      case 'persistent_keepalive_interval':
        peer.persistentKeepaliveInterval = this.number(key, value, 0xffff);
        return;
      case 'replace_allowed_ips':
        // Like wg-go, it also drops the prefixes this same op added before it.
        peer.replaceAllowedIps = this.flag(key, value);
        peer.allowedIps.length = 0;
        return;
      case 'allowed_ip': {
        const remove = value.startsWith('-');
        const prefix = parsePrefix(remove ? value.slice(1) : value) ??
          this.fail(Errno.EINVAL, `allowed_ip must be an IP/CIDR prefix, got ${quote(value)}`);
        peer.allowedIps.push({ family: prefix.family, ip: prefix.ip, cidr: prefix.cidr, remove });
        return;
      }
      case 'protocol_version':
        if (value !== '1') this.fail(Errno.EINVAL, `protocol_version ${quote(value)} is not supported; only 1 is`);
        return;
    }
    if (DEVICE_KEYS.has(key)) this.fail(Errno.EINVAL, `${key} is a device key: it must come before the first public_key`);
    this.fail(Errno.EINVAL, `unknown peer key ${quote(key)}`);
  }

  private number(key: string, value: string, max: number): number {
    return parseDecimal(value, max) ?? this.fail(Errno.EINVAL, `${key} must be a number from 0 to ${max}, got ${quote(value)}`);
  }

  /** Boolean keys accept only `true`, as in wg-go. */
  private flag(key: string, value: string): true {
    if (value !== 'true') this.fail(Errno.EINVAL, `${key} accepts only "true", got ${quote(value)}`);
    return true;
  }

  private fail(errno: number, message: string): never {
    throw new UapiError(errno, `set line ${this.lineNumber}: ${message}`);
  }
}

/**
 * A set line as wg-go sees it: Go's bufio.ScanLines drops one trailing `\r`,
 * so CRLF requests work, and a lone `\r` is the terminating blank line.
 */
export function setLineText(raw: string): string {
  return raw.endsWith('\r') ? raw.slice(0, -1) : raw;
}

/** Parses the body lines of a `set=1` request, up to the first blank line. */
export function parseSet(lines: Iterable<string>): SetRequest {
  const parser = new SetParser();
  for (const raw of lines) {
    const line = setLineText(raw);
    if (line === '') break;
    parser.line(line);
  }
  return parser.finish();
}

/** The wire form of a request, `set=1` and the blank line included. */
export function formatSet(req: SetRequest): string {
  const out = ['set=1'];
  if (req.privateKey !== undefined) out.push(`private_key=${req.privateKey ? keyToHex(req.privateKey) : '0'.repeat(64)}`);
  if (req.listenPort !== undefined) out.push(`listen_port=${req.listenPort}`);
  if (req.fwmark !== undefined) out.push(`fwmark=${req.fwmark}`);
  if (req.replacePeers) out.push('replace_peers=true');
  for (const peer of req.peers) {
    out.push(`public_key=${keyToHex(peer.publicKey)}`);
    if (peer.remove) {
      out.push('remove=true');
      continue;
    }
    if (peer.updateOnly) out.push('update_only=true');
    if (peer.presharedKey !== undefined) {
      out.push(`preshared_key=${peer.presharedKey ? keyToHex(peer.presharedKey) : '0'.repeat(64)}`);
    }
    if (peer.endpoint) {
      const { ip, port, zone } = peer.endpoint;
      const host = ip.length === 4 ? formatIp(ip) : `[${formatIp(ip)}${zone ? `%${zone}` : ''}]`;
      out.push(`endpoint=${host}:${port}`);
    }
    if (peer.persistentKeepaliveInterval !== undefined) {
      out.push(`persistent_keepalive_interval=${peer.persistentKeepaliveInterval}`);
    }
    if (peer.replaceAllowedIps) out.push('replace_allowed_ips=true');
    for (const a of peer.allowedIps) out.push(`allowed_ip=${a.remove ? '-' : ''}${formatPrefix(a)}`);
  }
  out.push('', '');
  return out.join('\n');
}

/** Describes a rejected secret without repeating it: errors reach logs, and a
 *  malformed key is often a real key in the wrong encoding. */
function secretShape(text: string): string {
  return `${text.length} characters`;
}

/** A value shown in an error message, cut short so garbage cannot flood a log. */
function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}
