// Every way asking a WireGuard demo server for a tunnel can fail, as data
// (so the window can say it in the user's language) and as the English
// sentence the command line prints and the window's English text reuses.
// Pure: the renderer imports it.

/** Which part of an `OK:key:port:address` reply was wrong. */
export type DemoReplyPart = 'format' | 'key' | 'port' | 'address' | 'too-long';

export type DemoFailure =
  /** `target` is what the user typed. */
  | { readonly code: 'bad-host'; readonly target: string }
  /** `target` is host:port as shown to the user, [v6]:port for IPv6. */
  | { readonly code: 'dns' | 'refused' | 'unreachable' | 'closed' | 'server-error'; readonly target: string }
  | { readonly code: 'timeout'; readonly target: string; readonly seconds: number }
  | { readonly code: 'malformed'; readonly target: string; readonly part: DemoReplyPart }
  /** Any other socket error; `detail` is its errno name (e.g. EPERM). */
  | { readonly code: 'network'; readonly target: string; readonly detail: string };

export type DemoFailureCode = DemoFailure['code'];

const REPLY_PARTS: Record<DemoReplyPart, string> = {
  format: 'it should be one line of the form OK:public-key:port:address',
  key: 'its public key is not 44 characters of base64 encoding 32 bytes',
  port: 'its port is not a number from 1 to 65535',
  address: 'its address is not a host address in 192.168.4.0/24',
  'too-long': 'it is longer than any demo server reply',
};

export function describeDemoFailure(f: DemoFailure): string {
  switch (f.code) {
    case 'bad-host':
      return `"${f.target}" is not a demo server address; write a host name or IP address, optionally with :port, or [IPv6]:port.`;
    case 'dns':
      return `The demo server ${f.target} could not be found; check the host name and your internet connection.`;
    case 'refused':
      return `${f.target} refused the connection: no demo server is listening on that port.`;
    case 'unreachable':
      return `${f.target} cannot be reached from this computer; check your internet connection.`;
    case 'timeout':
      return `The demo server ${f.target} did not reply within ${f.seconds} seconds; it may be down, or a firewall may block the port.`;
    case 'closed':
      return `The demo server ${f.target} closed the connection without replying.`;
    case 'server-error':
      return `The demo server ${f.target} replied ERROR: it could not add this computer as a peer. Try again later.`;
    case 'malformed':
      return `The reply from ${f.target} is not a demo server reply: ${REPLY_PARTS[f.part]}.`;
    case 'network':
      return `Could not talk to the demo server ${f.target} (${f.detail}).`;
  }
}
