// The values the control protocol's calls and events carry (protocol.ts
// puts them in its tables). Each check also yields its TypeScript type.
import { arr, bool, int, nullable, obj, oneOf, str } from '../check.js';
import { tunnelName } from '../config/interface-name.js';
import { KEY_BASE64 } from '../config/keys.js';

/** wg(8)'s base64 public key. */
export const publicKey = str({ pattern: KEY_BASE64, hint: 'a base64 WireGuard public key' });
export const epochMs = int(0);
export const byteCount = int(0);

export const killSwitch = oneOf('off', 'on', 'allow-lan');
/** `reconnecting`: the tunnel was up, but its session cannot be trusted (the
 *  computer slept, or no handshake completes while traffic waits); the helper
 *  is making a new handshake, and says "up" again only once one completes. */
export const tunnelState = oneOf('down', 'connecting', 'up', 'degraded', 'error', 'reconnecting');
/** What the helper did to bring a dead or resumed tunnel back, in order. */
export const recoveryStep = oneOf('re-resolved', 're-bound', 're-handshaken');

/** Why a tunnel is degraded or failed, in words a user can act on. */
export const diagnosis = obj({
  code: oneOf('no-reply', 'peer-under-load', 'endpoint-unresolved', 'key-mismatch', 'handshake-expired', 'engine-stopped', 'setup-failed',
    'resumed-from-sleep', 'dead-tunnel',
    'teardown-failed'),
  message: str({ max: 2000 }),
}, {
  publicKey,
  /** For resumed-from-sleep and dead-tunnel: what was tried, so the app can say it in the user's language. */
  tried: arr(recoveryStep, 8),
  /** For dead-tunnel: how long no handshake completed while traffic waited, in seconds. */
  deadSeconds: int(0),
  // The rest lets the app word every diagnosis in the user's language, so
  // `message` (English) is only for logs and older apps.
  /** The peer's endpoint (host:port), or for endpoint-unresolved the host that did not resolve. */
  endpoint: str({ max: 300 }),
  /** What the health check saw (health.ts), which decides the advice. */
  evidence: oneOf('cookie-reply', 'reply-failed', 'no-reply', 'replies-no-handshake', 'silent'),
  /** Seconds since the latest handshake; absent when none completed since connecting. */
  handshakeAgeSeconds: int(0),
  /** Seconds since connecting, when no handshake completed. */
  waitedSeconds: int(0),
  /** For no-reply: handshake bytes sent, with nothing back, over windowSeconds. */
  sentBytes: int(0),
  windowSeconds: int(0),
  /** How many peers the tunnel has: with more than one, the app names the peer by its key. */
  peerCount: int(0),
  /** For engine-stopped: while the helper was away, with the kill switch still blocking, or with the tunnel turned off. */
  engineStop: oneOf('helper-away', 'kill-switch-held', 'turned-off'),
});

export const peerStatsShape = {
  publicKey,
  /** The runtime endpoint (it follows roaming), or null before one is known. */
  endpoint: nullable(str({ max: 64 })),
  /** Wall-clock time (epoch ms) of the latest completed handshake, as wg(8) says it; null if none. */
  latestHandshake: nullable(epochMs),
  rxBytes: byteCount,
  txBytes: byteCount,
};

export const peerStats = obj(peerStatsShape);

export const peerStatus = obj({
  ...peerStatsShape,
  allowedIps: arr(str({ max: 64 }), 4096),
  persistentKeepalive: int(0, 65535),
});

export const tunnelStatus = obj({
  name: tunnelName,
  state: tunnelState,
  reason: nullable(str({ max: 2000 })),
  diagnosis: nullable(diagnosis),
  killSwitch,
  /** When `up` was asked for; null once down. */
  since: nullable(epochMs),
  mtu: nullable(int(0, 65535)),
  /** Hooks (PreUp, ...) not run because scripts are disabled by policy. */
  hooksSkipped: arr(str({ max: 4096 }), 256),
  peers: arr(peerStatus, 4096),
}, {
  /** "Exclude the network I'm on" is on (present only then). */
  excludeLan: bool,
  /** The LAN prefixes it routes outside the tunnel right now, e.g. 192.168.1.0/24. */
  lanBypass: arr(str({ max: 64 }), 1024),
});

export const logLine = obj({
  at: epochMs,
  /** null for lines about the helper itself. */
  tunnel: nullable(tunnelName),
  source: oneOf('helper', 'engine'),
  text: str({ max: 8192 }),
});

/** Where the helper learnt which network the computer is on (helper/system/network-identity.ts). */
export const networkSource = oneOf('networkmanager', 'gateway', 'none');
/** The network the computer is on, for on-demand rules. `key` is what trust
 *  lists and rules store: "wifi:SSID" or "connection:NAME" from
 *  NetworkManager, "gateway:MAC@SUBNET" without it; null when offline. */
export const networkIdentity = obj({
  key: nullable(str({ max: 400 })),
  source: networkSource,
  /** NetworkManager's connection name (its Id). */
  connectionName: nullable(str({ max: 256 })),
  ssid: nullable(str({ max: 128 })),
  gatewayMac: nullable(str({ max: 17 })),
  subnet: nullable(str({ max: 64 })),
  at: epochMs,
});

export const tunnelOptions = obj({}, {
  killSwitch,
  /** Reconnect when traffic waits and no handshake completes for this long (default 20 s). */
  deadAfterSeconds: int(5, 3600),
  /** Route the subnets of the current links outside the tunnel, following network changes (never written to the .conf). */
  excludeLan: bool,
  /** Split DNS: only names under these domains go to the tunnel's DNS servers (shared/dns/split-domains.ts); [] for all. */
  splitDns: arr(str({ max: 253, pattern: /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/, hint: 'a lowercase domain name such as corp.example' }), 64),
});

/** Why a peer's endpoint changed: it roamed (an authenticated packet came from
 *  elsewhere), or its Endpoint host name resolved to a new address. */
export const roamingReason = oneOf('roamed', 'resolved');

/** A probe's verdict: every peer with an endpoint completed a handshake, or why not. */
export const probeResult = obj({
  name: tunnelName,
  healthy: bool,
  /** From the probe's start to the last peer's handshake; null when not healthy. */
  handshakeMs: nullable(int(0)),
  reason: nullable(str({ max: 2000 })),
});

