// The netconfig API (Linux): what `wiredesk up/down/show` and the
// wiredesk-helper control service call. Every function throws TunnelError
// with a sentence a user can act on; nothing here prints.
export { TunnelError } from './errors.js';
export type { KillSwitch } from './kill-switch.js';
export { dropSpare, prepareEngine } from './spare-engine.js';
export { tunnelUp, type UpOptions, type UpResult } from './up.js';
export { tunnelDown, activeTunnels, type DownOptions, type DownResult } from './down.js';
export { recoverStaleTunnels } from './recover.js';
export { setKillSwitch } from './kill-switch-change.js';
export { setSplitDns } from './split-dns-change.js';
export { formatBytes, formatDuration, formatHandshakeAge, formatShow, formatShowAll, sortPeers } from './show-format.js';
export { setLanBypass, refreshLanBypass, lanBypassState, LAN_BYPASS_PRIORITY } from './lan-bypass.js';
export type { LanRoute } from './lan-prefixes.js';
