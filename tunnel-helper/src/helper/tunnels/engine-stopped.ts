// A tunnel's engine stopped: what the helper does about it, and what the user
// is told (the state's reason, and the diagnosis the app words in its language).
import type { Diagnosis, TunnelState } from '../../../../shared/control/protocol.js';
import type { Tunnel } from './tunnel-record.js';

type EngineStop = NonNullable<Diagnosis['engineStop']>;

const WORDS: Record<EngineStop, { reason: string; message: string }> = {
  'helper-away': {
    reason: 'The tunnel engine is gone; its kill switch keeps blocking traffic until you turn this tunnel off.',
    message: 'The tunnel engine stopped while the helper was not running. Turn the tunnel off and on again.',
  },
  // The kill switch's rules stay: the user asked not to leak while the tunnel is out.
  'kill-switch-held': {
    reason: 'The tunnel engine stopped unexpectedly. The kill switch keeps blocking traffic until you turn this tunnel off.',
    message: 'The tunnel engine stopped unexpectedly. Turn the tunnel off and on again to reconnect.',
  },
  'turned-off': {
    reason: 'The tunnel engine stopped unexpectedly, so the tunnel was turned off and its routes and DNS removed. Turn it on again to reconnect.',
    message: 'The tunnel engine stopped unexpectedly. Turn the tunnel on again to reconnect.',
  },
};

export function engineStopped(stop: EngineStop): { reason: string; diagnosis: Diagnosis } {
  const { reason, message } = WORDS[stop];
  return { reason, diagnosis: { code: 'engine-stopped', message, engineStop: stop } };
}

export interface EngineGoneHost {
  line(text: string): void;
  setState(state: TunnelState, reason: string | null, diagnosis: Diagnosis | null): void;
  tunnelDown(): Promise<void>;
}

/** Without a kill switch the tunnel's routes and DNS go; with one, its rules stay until the user turns it off. */
export async function engineGone(t: Tunnel, why: string, host: EngineGoneHost): Promise<void> {
  t.monitor = null;
  t.recovery?.stop();
  host.line(`The engine of "${t.name}" stopped: ${why}`);
  if (t.killSwitch !== 'off') {
    const { reason, diagnosis } = engineStopped('kill-switch-held');
    host.setState('error', reason, diagnosis);
    return;
  }
  try {
    await host.tunnelDown();
  } catch (e) {
    host.line(`Cleanup after the engine stopped: ${(e as Error).message}`);
  }
  const { reason, diagnosis } = engineStopped('turned-off');
  host.setState('error', reason, diagnosis);
}
