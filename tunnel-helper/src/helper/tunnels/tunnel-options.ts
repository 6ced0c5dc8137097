// Options changed on a running tunnel. The dead-tunnel time is the recovery's
// own and the kill switch table is swapped by netconfig (setKillSwitch), so
// the engine and its session stay; only a netconfig without that (a test
// fake) reconnects instead.
import type { LoadedConfig } from '../../../../shared/config/index.js';
import { ProtocolError, type KillSwitch, type Params, type TunnelStatus } from '../../../../shared/control/protocol.js';
import { redactLine } from '../../../../shared/redact.js';
import type { NetconfigApi } from './netconfig-api.js';
import { statusOf, type Tunnel } from './tunnel-record.js';

export interface OptionsHost {
  netconfig: NetconfigApi;
  /** A log line about this tunnel. */
  line(text: string): void;
  /** Takes the tunnel down and up again with these settings. */
  reconnect(config: LoadedConfig, killSwitch: KillSwitch): Promise<TunnelStatus>;
}

export async function applyOptions(t: Tunnel, options: Params<'setOptions'>['options'], host: OptionsHost): Promise<TunnelStatus> {
  if (options.deadAfterSeconds !== undefined) {
    t.deadAfterMs = options.deadAfterSeconds * 1000;
    if (t.recovery) t.recovery.deadAfterMs = t.deadAfterMs;
  }
  const killSwitch = options.killSwitch ?? t.killSwitch;
  // New split DNS domains need a new up (the forwarder or resolved's link settings are set up with the tunnel).
  const split = options.splitDns;
  // An adopted tunnel's domains are not known here (its up ran in an earlier helper): take the app's word for them.
  if (split !== undefined && t.config === null && t.splitDns === undefined) t.splitDns = [...split];
  const splitChanged = split !== undefined && split.join(',') !== (t.splitDns ?? []).join(',');
  if (splitChanged) t.splitDns = [...split];
  // An adopted tunnel's mode is not known here (config null): apply it anyway.
  if (!splitChanged && killSwitch === t.killSwitch && t.config !== null) return statusOf(t);
  const { setKillSwitch } = host.netconfig;
  if (!splitChanged && setKillSwitch && t.state !== 'error' && t.state !== 'down') {
    host.line(`Kill switch ${t.config === null ? '' : `${t.killSwitch} `}-> ${killSwitch}, without reconnecting.`);
    try {
      await setKillSwitch.call(host.netconfig, t.name, killSwitch, { log: (l) => host.line(l) });
    } catch (e) {
      const message = redactLine((e as Error).message, t.secrets);
      host.line(`Could not change the kill switch: ${message}`);
      throw new ProtocolError('tunnel-failed', message);
    }
    t.killSwitch = killSwitch;
    return statusOf(t);
  }
  const { config } = t;
  if (config === null) {
    throw new ProtocolError('conflict', `"${t.name}" was started before the helper restarted, so its configuration is not known here. Turn it off and on again to change its options.`);
  }
  host.line(splitChanged
    ? `Split DNS -> ${split.length > 0 ? split.join(', ') : 'off'}: reconnecting "${t.name}".`
    : `Kill switch ${t.killSwitch} -> ${killSwitch}: reconnecting "${t.name}".`);
  return host.reconnect(config, killSwitch);
}
