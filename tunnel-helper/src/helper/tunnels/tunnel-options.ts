// Options changed on a running tunnel. The dead-tunnel time is the recovery's
// own, the kill switch table is swapped by netconfig (setKillSwitch) and the
// DNS part redone (setSplitDns), so the engine and its session stay; only a
// netconfig without those (a test fake), or an adopted tunnel whose config is
// not known here, reconnects instead.
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
  const split = options.splitDns;
  // An adopted tunnel's domains are not known here (its up ran in an earlier helper): take the app's word for them.
  if (split !== undefined && t.config === null && t.splitDns === undefined) t.splitDns = [...split];
  const splitChanged = split !== undefined && split.join(',') !== (t.splitDns ?? []).join(',');
  // An adopted tunnel's mode is not known here (config null): apply it anyway.
  const killSwitchChanged = killSwitch !== t.killSwitch || t.config === null;
  if (!splitChanged && !killSwitchChanged) return statusOf(t);
  const { setKillSwitch, setSplitDns } = host.netconfig;
  const running = t.state !== 'error' && t.state !== 'down';
  const inPlace = running && (!splitChanged || (setSplitDns && t.config !== null)) && (!killSwitchChanged || setKillSwitch);
  if (inPlace) {
    let step = 'split DNS';
    try {
      if (splitChanged) {
        host.line(`Split DNS -> ${split.length > 0 ? split.join(', ') : 'off'}, without reconnecting.`);
        await setSplitDns!.call(host.netconfig, t.name, t.config!, split, { log: (l) => host.line(l) });
        t.splitDns = [...split];
      }
      if (killSwitchChanged) {
        step = 'kill switch';
        host.line(`Kill switch ${t.config === null ? '' : `${t.killSwitch} `}-> ${killSwitch}, without reconnecting.`);
        await setKillSwitch!.call(host.netconfig, t.name, killSwitch, { log: (l) => host.line(l) });
        t.killSwitch = killSwitch;
      }
    } catch (e) {
      const message = redactLine((e as Error).message, t.secrets);
      host.line(`Could not change the ${step}: ${message}`);
      throw new ProtocolError('tunnel-failed', message);
    }
    return statusOf(t);
  }
  if (splitChanged) t.splitDns = [...split];
  const { config } = t;
  if (config === null) {
    throw new ProtocolError('conflict', `"${t.name}" was started before the helper restarted, so its configuration is not known here. Turn it off and on again to change its options.`);
  }
  host.line(splitChanged
    ? `Split DNS -> ${split.length > 0 ? split.join(', ') : 'off'}: reconnecting "${t.name}".`
    : `Kill switch ${t.killSwitch} -> ${killSwitch}: reconnecting "${t.name}".`);
  return host.reconnect(config, killSwitch);
}
