// English words for every diagnosis (composed by describe.ts).
import type { DiagnosisWords } from './describe.js';

export const diagnosisEn: DiagnosisWords = {
  duration: (s) => {
    if (s < 120) return `${s} second${s === 1 ? '' : 's'}`;
    const m = Math.floor(s / 60);
    return `${m} minute${m === 1 ? '' : 's'}, ${s % 60} seconds`;
  },
  peer: (key) => `Peer ${key}: `,
  handshakeAge: (ago) => `The latest handshake was ${ago} ago, and sessions expire after 3 minutes. `,
  notWithin: (waited) => `No handshake completed within ${waited} of connecting. `,
  thePeer: 'the peer',
  evidence: {
    'cookie-reply': (where) => `${cap(where)} answered with a cookie reply: the server is under load and is rate-limiting handshakes. ` +
      'WireDesk keeps retrying; if this lasts more than a few minutes, the server is overloaded or under attack.',
    'reply-failed': (where) => `A reply came from ${where} but failed to authenticate: the keys do not match. ` +
      "Check that the peer's PublicKey is the server's public key, that the server has this tunnel's public key, and that both use the same PresharedKey.",
    'no-reply': (where, bytes, seconds) => `No reply from ${where}: ` +
      (bytes !== undefined && seconds !== undefined ? `${bytes} bytes of handshake attempts were sent in the last ${seconds} seconds and nothing came back. ` : 'handshake attempts were sent and nothing came back. ') +
      'UDP may be blocked (by a firewall or the network), or the endpoint is wrong. If the endpoint is right, check the keys: ' +
      'a peer silently ignores handshakes it cannot authenticate, so keys that do not match look the same.',
    'replies-no-handshake': (where) => `${cap(where)} sends packets, but no handshake completes. The keys may not match: ` +
      "check the peer's PublicKey and PresharedKey against the server's configuration.",
    silent: (where) => `Nothing was sent to ${where} or received from it recently. ` +
      'The tunnel may be idle with no traffic to start a handshake; WireDesk will retry. If it stays like this, check the Endpoint.',
  },
  unresolved: (host) => `The endpoint ${host ? `host ${host} ` : ''}could not be resolved. Check the Endpoint host name, and that DNS works without the tunnel.`,
  engineStopped: {
    'helper-away': 'The tunnel engine stopped while the helper was not running. Its kill switch keeps blocking traffic until you turn the tunnel off; turn it off and on again to reconnect.',
    'kill-switch-held': 'The tunnel engine stopped unexpectedly. The kill switch keeps blocking traffic until you turn this tunnel off; turn it off and on again to reconnect.',
    'turned-off': 'The tunnel engine stopped unexpectedly, so the tunnel was turned off and its routes and DNS removed. Turn it on again to reconnect.',
    unknown: 'The tunnel engine stopped unexpectedly. Turn the tunnel off and on again to reconnect.',
  },
  setupFailed: 'The tunnel could not be switched on.',
  teardownFailed: 'The tunnel could not be switched off completely; some of its routes, DNS settings or kill-switch rules may remain. Try switching it off again.',
  resumedFromSleep: 'The computer woke from sleep, so the old session keys cannot be trusted. WireDesk is making a new handshake; the tunnel shows as on again once it completes.',
  deadTunnel: (seconds) => `Traffic was waiting, but no handshake completed for ${seconds} seconds, so WireDesk reconnected the tunnel.`,
  recoveryTried: (steps) => ` What WireDesk tried: ${steps.join(', ')}.`,
  recoveryStep: {
    're-resolved': 'looked up the endpoint host name again',
    're-bound': 're-opened the UDP socket',
    're-handshaken': 'started a new handshake',
  },
  helperLost: 'The WireDesk helper stopped, so this tunnel cannot be controlled. Restart the helper.',
  helperOutdated: 'The installed WireDesk helper is another version than this app. Update the helper to switch tunnels on.',
  details: (text) => ` Details: ${/[.!?)]$/.test(text) ? text : `${text}.`}`,
};

/** "the peer" starts a sentence as "The peer"; an address stays as it is. */
function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
