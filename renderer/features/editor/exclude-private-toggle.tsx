// "Exclude private IPs" in the editor (shared/config/exclude-private.ts): on
// rewrites each wildcard peer's AllowedIPs in the text, off puts back what the
// toggle replaced. The record of the originals goes to main with Save
// (tunnel-prefs.json), so the restore is exact after a restart too.
import { useEffect, useMemo } from 'react';
import {
  canExcludePrivateIps, entriesOf, excludePrivateForPeers, excludesPrivateIps, includePrivateForPeers, parseConfig, serializeConfig, setPeerValue,
  type ExcludePrivateRecord, type ParsedConfig,
} from '../../../shared/config/index.js';
import { Toggle } from '../../components/toggle.js';
import { useI18n } from '../../lib/i18n/i18n.js';
import { ipc } from '../../lib/ipc.js';

const list = (values: readonly string[]) => values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s !== '');

function allowedIpsOf(parsed: ParsedConfig): string[][] {
  return parsed.peers.map((p) => list(entriesOf(p, 'AllowedIPs').map((e) => e.value)));
}

/** `record` undefined: not loaded yet (or nothing to save); null: none. */
export function ExcludePrivateToggle(props: {
  original: string | null;
  text: string;
  record: ExcludePrivateRecord | null | undefined;
  onText: (text: string) => void;
  onRecord: (record: ExcludePrivateRecord | null) => void;
}) {
  const { t } = useI18n();
  const { original, onRecord } = props;
  useEffect(() => {
    if (original) void ipc.invoke('tunnels:excludePrivateRecord', original).then(onRecord, () => undefined);
  }, [original, onRecord]);
  const parsed = useMemo(() => parseConfig(props.text), [props.text]);
  const peers = useMemo(() => allowedIpsOf(parsed), [parsed]);
  const can = peers.some(canExcludePrivateIps);
  const on = peers.some(excludesPrivateIps);
  const write = (next: string[][]) => {
    let edited = parsed;
    next.forEach((ips, i) => {
      if (ips.join() !== peers[i]!.join()) edited = setPeerValue(edited, i, 'AllowedIPs', ips.join(', '));
    });
    props.onText(serializeConfig(edited));
  };
  const change = (next: boolean) => {
    if (next) {
      const keep = { addresses: list(entriesOf(parsed.interface, 'Address').map((e) => e.value)), dns: list(entriesOf(parsed.interface, 'DNS').map((e) => e.value)) };
      const done = excludePrivateForPeers(peers, keep);
      write(done.peers);
      // The originals as written (one value per AllowedIPs line), so off gives back the very text.
      onRecord({ original: parsed.peers.map((p) => entriesOf(p, 'AllowedIPs').map((e) => e.value)), applied: done.record.applied });
    } else {
      write(includePrivateForPeers(peers, props.record ?? null));
      onRecord(null);
    }
  };
  const r = t.routing;
  return (
    <section className="card" aria-labelledby="exclude-private-title" data-testid="exclude-private">
      <header className="card__head">
        <h2 id="exclude-private-title">{r.excludePrivate}</h2>
        {can && <Toggle checked={on} label={r.excludePrivate} testId="exclude-private-toggle" onChange={change} />}
      </header>
      <p className="muted small">{can ? r.excludePrivateHint : r.excludePrivateUnavailable}</p>
      {on && <p className="muted small">{r.excludePrivateRestore}</p>}
    </section>
  );
}
