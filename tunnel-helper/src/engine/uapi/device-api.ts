// The seam between the UAPI server and a WireGuard device. The server only
// speaks the wire protocol; whatever implements UapiDevice (the engine, or
// MemoryDevice in tests) owns the semantics. Keys are raw 32-byte arrays.
import type { IpEndpoint } from '../../../../shared/config/ip.js';

/** A 32-byte Curve25519 key or preshared key. */
export type Key = Uint8Array;

/** What `get=1` reports for one peer. */
export interface PeerState {
  publicKey: Key;
  /** null when there is none; sent as 64 zeros. */
  presharedKey: Key | null;
  /** Already formatted as wg-go does: `1.2.3.4:51820` or `[fd00::1]:51820` (see formatEndpoint). */
  endpoint: string | null;
  lastHandshakeSec: number;
  lastHandshakeNsec: number;
  rxBytes: bigint;
  txBytes: bigint;
  persistentKeepaliveInterval: number;
  /** Masked CIDR strings in the device's order (see formatPrefix). */
  allowedIps: string[];
}

/** What `get=1` reports for the device. */
export interface DeviceState {
  /** null (or all zeros) when unset: the line is then omitted. */
  privateKey: Key | null;
  /** 0 is omitted from the reply. */
  listenPort: number;
  /** 0 is omitted from the reply. */
  fwmark: number;
  peers: PeerState[];
}

/** An IP prefix with its host bits already cleared. */
export interface Prefix {
  family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  ip: Uint8Array;
  cidr: number;
}

/** One `allowed_ip=` line: add the prefix, or with a `-` prefix remove it (wg-go >= 2025). */
export interface AllowedIpChange extends Prefix {
  remove: boolean;
}

/**
 * The changes to one peer, in the order its `public_key=` line appeared.
 * Optional fields are absent when the request did not mention them.
 */
export interface PeerOp {
  publicKey: Key;
  /** Remove the peer; every other field of this op is then ignored. */
  remove: boolean;
  /** Only update an existing peer: if it does not exist, ignore the whole op. */
  updateOnly: boolean;
  /** null means "remove" (the all-zero key on the wire). */
  presharedKey?: Key | null;
  /** Its zone still text; the engine makes it an Endpoint (core/endpoint.ts). wg-go drops the zone when reporting. */
  endpoint?: IpEndpoint;
  persistentKeepaliveInterval?: number;
  /** Drop the peer's allowed IPs before applying `allowedIps`. */
  replaceAllowedIps: boolean;
  /** Applied in order; a prefix that another peer owns moves to this one. */
  allowedIps: AllowedIpChange[];
}

/**
 * One validated `set=1` request. Nothing reaches the device until the whole
 * request has parsed, so a bad line leaves the device untouched.
 */
export interface SetRequest {
  /** Already clamped; null removes the key (the all-zero key on the wire). */
  privateKey?: Key | null;
  /** 0 means "pick a random port". */
  listenPort?: number;
  /** 0 clears the mark. */
  fwmark?: number;
  /** Remove every peer before applying `peers`. */
  replacePeers: boolean;
  peers: PeerOp[];
}

/**
 * What the engine implements. The server serialises calls: no two run at once.
 *
 * Semantics the device owns (wg-go device/uapi.go, device.go):
 * - a peer op whose key equals the device's own public key is ignored;
 * - setting a private key whose public key equals a peer's removes that peer;
 * - `set` should validate everything it can (zone names, the new port) before
 *   changing anything, and throw UapiError(Errno.EADDRINUSE) when the port is taken.
 * Anything else thrown is reported as errno -55, as wg-go does.
 */
export interface UapiDevice {
  get(): DeviceState | Promise<DeviceState>;
  set(request: SetRequest): void | Promise<void>;
}

// Implementations signal failures with these; re-exported so the engine needs one import.
export { Errno, UapiError } from './errors.js';
