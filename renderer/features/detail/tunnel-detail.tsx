// The selected tunnel: header with state and switch, then Overview (banner,
// live tiles, graph, interface, peers, timelines) or Logs.
import { memo, useCallback, useEffect, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { formatRate } from '../../../shared/config/wg-units.js';
import type { TunnelDetail as Detail } from '../../../shared/ipc/types.js';
import { Icon } from '../../components/icons.js';
import { StateBadge } from '../../components/state-badge.js';
import { Toggle } from '../../components/toggle.js';
import { useStats, useStore, useSummary } from '../../lib/hooks.js';
import { useI18n } from '../../lib/i18n/i18n.js';
import { ThroughputGraph } from '../graph/throughput-graph.js';
import { LogsView } from '../logs/logs-view.js';
import { HandshakeTimeline, RoamingTimeline } from '../timeline/timelines.js';
import { OnDemandCard } from '../on-demand/on-demand-card.js';
import { PinnedAppsCard } from '../split-apps/pinned-apps-card.js';
import { SplitDnsCard } from '../split-dns/split-dns-card.js';
import { DiagnosisBanner } from './diagnosis-banner.js';
import { InterfaceCard } from './interface-card.js';
import { LanBypassCard } from './lan-bypass-card.js';
import { PeerCard } from './peer-card.js';

/** The tunnel's detail from the store, which keeps it current. */
function useDetail(name: string): Detail | undefined {
  const store = useStore();
  useEffect(() => void store.loadDetail(name), [store, name]);
  const subscribe = useCallback((l: () => void) => store.subscribe(`detail:${name}`, l), [store, name]);
  return useSyncExternalStore(subscribe, () => store.getDetail(name));
}

const Tiles = memo(function Tiles({ name }: { name: string }) {
  const { t } = useI18n();
  const stats = useStats(name);
  return (
    <div className="tiles">
      <div className="tile tile--rx"><span className="tile__label"><Icon name="down" size={13} />{t.download}</span><span className="tile__value" data-testid="tile-rx">{formatRate(stats?.rxRate ?? 0)}</span></div>
      <div className="tile tile--tx"><span className="tile__label"><Icon name="up" size={13} />{t.upload}</span><span className="tile__value" data-testid="tile-tx">{formatRate(stats?.txRate ?? 0)}</span></div>
    </div>
  );
});

const Peers = memo(function Peers({ name, detail }: { name: string; detail: Detail }) {
  const stats = useStats(name);
  return (
    <>
      {detail.peers.map((peer, i) => (
        <PeerCard key={peer.publicKey || i} index={i} peer={peer} stats={stats?.peers.find((p) => p.publicKey === peer.publicKey)} />
      ))}
    </>
  );
});

/** The tab pattern's keys: arrows, Home and End move between the two tabs and select them. */
function switchTab(e: KeyboardEvent<HTMLElement>, tab: 'overview' | 'logs', setTab: (t: 'overview' | 'logs') => void): void {
  const next = e.key === 'ArrowLeft' || e.key === 'Home' ? 'overview' : e.key === 'ArrowRight' || e.key === 'End' ? 'logs' : null;
  if (!next) return;
  e.preventDefault();
  if (next !== tab) setTab(next);
  e.currentTarget.querySelector<HTMLElement>(`#tab-${next}`)?.focus();
}

export function TunnelDetailView(props: { name: string; onToggle: (name: string, on: boolean) => void; onEdit: () => void; onExport: () => void; onRemove: () => void }) {
  const { t } = useI18n();
  const store = useStore();
  const summary = useSummary(props.name);
  const detail = useDetail(props.name);
  const [tab, setTab] = useState<'overview' | 'logs'>('overview');
  useEffect(() => void store.loadHistory(props.name), [store, props.name]);
  if (!summary) return null;
  const on = summary.state !== 'down';

  return (
    <article className="detail" aria-labelledby="detail-title" data-testid="tunnel-detail">
      <header className="detail__head">
        <div className="detail__title">
          <h1 tabIndex={-1} id="detail-title">{summary.name}</h1>
          <StateBadge state={summary.state} name={summary.name} />
        </div>
        <div className="detail__actions">
          <button type="button" className="btn" onClick={props.onEdit} aria-label={t.a11y.editTunnel(summary.name)} data-testid="edit-button"><Icon name="edit" />{t.edit}</button>
          <button type="button" className="btn" onClick={props.onExport} aria-label={t.a11y.exportTunnel(summary.name)} data-testid="export-button"><Icon name="export" />{t.export}</button>
          <button type="button" className="btn btn--danger-ghost" onClick={props.onRemove} aria-label={t.a11y.removeTunnel(summary.name)} aria-keyshortcuts="Delete" data-testid="remove-button"><Icon name="trash" />{t.remove}</button>
          <Toggle checked={on} busy={summary.state === 'connecting'} label={on ? t.switchOff(summary.name) : t.switchOn(summary.name)} testId="detail-toggle" onChange={(next) => props.onToggle(summary.name, next)} />
        </div>
      </header>
      <div className="tabs" role="tablist" aria-label={summary.name} onKeyDown={(e) => switchTab(e, tab, setTab)}>
        {(['overview', 'logs'] as const).map((k) => (
          <button key={k} type="button" role="tab" id={`tab-${k}`} aria-selected={tab === k} aria-controls={`panel-${k}`} tabIndex={tab === k ? 0 : -1}
            className={tab === k ? 'is-on' : ''} onClick={() => setTab(k)} data-testid={`tab-${k}`}>
            {k === 'overview' ? t.overview : t.logs}
          </button>
        ))}
      </div>
      {tab === 'overview' ? (
        <div role="tabpanel" id="panel-overview" aria-labelledby="tab-overview" className="detail__body">
          <DiagnosisBanner summary={summary} />
          <Tiles name={summary.name} />
          <ThroughputGraph name={summary.name} active={on} />
          <div className="grid2">
            <div className="stack">
              {detail && <InterfaceCard detail={detail} />}
              {detail && <SplitDnsCard name={summary.name} />}
              {detail && <Peers name={summary.name} detail={detail} />}
            </div>
            <div className="stack">
              <OnDemandCard name={summary.name} />
              <LanBypassCard name={summary.name} state={summary.state} />
              <PinnedAppsCard name={summary.name} />
              <RoamingTimeline name={summary.name} />
              <HandshakeTimeline name={summary.name} />
            </div>
          </div>
        </div>
      ) : (
        <div role="tabpanel" id="panel-logs" aria-labelledby="tab-logs" className="detail__body">
          <LogsView name={summary.name} />
        </div>
      )}
    </article>
  );
}
