// The tray as a pure function of state: the icon (combined state), the
// tooltip (active tunnels with their rates) and the menu. adapters/tray.ts
// only turns this into Electron's Tray and Menu.
import type { Diagnosis, HelperStatus, Language, TunnelState } from '../../../shared/ipc/types.js';
import { formatRate } from '../../../shared/config/wg-units.js';
import { trayStrings } from './tray-strings.js';
import type { GroupStatus } from '../../../shared/ipc/groups.js';
import { groupItems, groupedTunnels } from './tray-groups.js';
import { splitAppItems, type TraySplitApp } from './tray-split-apps.js';

export type TrayIcon = 'off' | 'connecting' | 'on' | 'degraded' | 'error';

export interface TrayTunnel {
  readonly name: string;
  readonly state: TunnelState;
  readonly rxRate: number;
  readonly txRate: number;
  readonly diagnosis?: Diagnosis;
  /** An on-demand rule switched it on (not the user). */
  readonly byRule?: boolean;
  /** "Exclude the network I'm on" is on for it. */
  readonly excludeLan?: boolean;
}

export interface TrayState {
  readonly tunnels: readonly TrayTunnel[];
  readonly helper: HelperStatus;
  readonly language: Language;
  /** Failover groups: one switch each, in place of their members. */
  readonly groups?: readonly GroupStatus[];
  /** Apps of the per-app routing lists, startable from the tray. */
  readonly splitApps?: readonly TraySplitApp[];
}

export type TrayAction =
  | { readonly kind: 'toggle'; readonly name: string; readonly active: boolean }
  | { readonly kind: 'toggle-group'; readonly name: string; readonly active: boolean }
  | { readonly kind: 'exclude-lan'; readonly name: string; readonly on: boolean }
  | { readonly kind: 'launch-app'; readonly id: string; readonly tunnel: string | null }
  | { readonly kind: 'import' }
  | { readonly kind: 'manage' }
  | { readonly kind: 'restart-helper' }
  | { readonly kind: 'update-helper' }
  | { readonly kind: 'quit' };

export interface TrayMenuItem {
  readonly id: string;
  readonly type: 'normal' | 'checkbox' | 'separator' | 'submenu';
  readonly label?: string;
  readonly checked?: boolean;
  readonly enabled?: boolean;
  readonly action?: TrayAction;
  readonly submenu?: readonly TrayMenuItem[];
}

export interface TrayModel {
  readonly icon: TrayIcon;
  readonly tooltip: string;
  readonly items: readonly TrayMenuItem[];
}

/** Past this many tunnels the list moves into a submenu, as WireGuard for Windows does. */
export const TRAY_INLINE_TUNNELS = 10;

const PRIORITY: readonly TrayIcon[] = ['error', 'degraded', 'connecting', 'on'];
const ICON_OF: Record<TunnelState, TrayIcon> = { down: 'off', connecting: 'connecting', up: 'on', degraded: 'degraded', error: 'error', reconnecting: 'connecting' };

export function combinedIcon(tunnels: readonly TrayTunnel[]): TrayIcon {
  const icons = new Set(tunnels.map((t) => ICON_OF[t.state]));
  return PRIORITY.find((i) => icons.has(i)) ?? 'off';
}

export function trayModel(state: TrayState): TrayModel {
  const s = trayStrings(state.language);
  const active = state.tunnels.filter((t) => t.state !== 'down');
  const icon = combinedIcon(state.tunnels);

  const tooltip = active.length === 0
    ? `WireDesk — ${s.allOff}`
    : ['WireDesk', ...active.map((t) => `${t.name}: ${s.state[t.state]}${t.byRule ? ` (${s.onByRule})` : ''} ↓ ${formatRate(t.rxRate)} ↑ ${formatRate(t.txRate)}`)].join('\n');

  const grouped = groupedTunnels(state.groups ?? []);
  const tunnelItems: TrayMenuItem[] = state.tunnels.filter((t) => !grouped.has(t.name)).map((t) => ({
    id: `tunnel:${t.name}`,
    type: 'checkbox',
    label: `${t.state === 'down' || t.state === 'up' ? t.name : `${t.name} (${s.state[t.state]})`}${t.byRule && t.state !== 'down' ? ` — ${s.onByRule}` : ''}`,
    checked: t.state !== 'down',
    action: { kind: 'toggle', name: t.name, active: t.state === 'down' },
  }));

  const items: TrayMenuItem[] = [
    { id: 'status', type: 'normal', label: statusLine(state, s), enabled: false },
    { id: 'sep-1', type: 'separator' },
  ];
  if (state.tunnels.length === 0) items.push({ id: 'no-tunnels', type: 'normal', label: s.noTunnels, enabled: false });
  else if (state.tunnels.length > TRAY_INLINE_TUNNELS) items.push({ id: 'tunnels', type: 'submenu', label: s.tunnels, submenu: tunnelItems });
  else items.push(...tunnelItems);
  items.push(...groupItems(state.groups ?? [], state.language));
  items.push({ id: 'sep-2', type: 'separator' });
  if (state.tunnels.length > 0) {
    items.push({
      id: 'exclude-lan', type: 'submenu', label: s.excludeLan,
      submenu: state.tunnels.map((t) => ({ id: `exclude-lan:${t.name}`, type: 'checkbox', label: t.name, checked: !!t.excludeLan, action: { kind: 'exclude-lan', name: t.name, on: !t.excludeLan } })),
    });
  }
  items.push(...splitAppItems(state.splitApps ?? [], state.language));
  if (state.helper.state === 'failed' || state.helper.state === 'reconnecting') items.push({ id: 'restart-helper', type: 'normal', label: s.restartHelper, action: { kind: 'restart-helper' } });
  if (state.helper.state === 'outdated') items.push({ id: 'update-helper', type: 'normal', label: s.updateHelper, action: { kind: 'update-helper' } });
  items.push(
    { id: 'import', type: 'normal', label: s.import, action: { kind: 'import' } },
    { id: 'manage', type: 'normal', label: s.manage, action: { kind: 'manage' } },
    { id: 'sep-3', type: 'separator' },
    { id: 'quit', type: 'normal', label: s.quit, action: { kind: 'quit' } },
  );
  return { icon, tooltip, items };
}

function statusLine(state: TrayState, s: ReturnType<typeof trayStrings>): string {
  if (state.helper.state === 'failed' || state.helper.state === 'reconnecting') return `${s.status}: ${s.helperStopped}`;
  if (state.helper.state === 'outdated') return `${s.status}: ${s.helperOutdated}`;
  const problem = state.tunnels.find((t) => t.state === 'error') ?? state.tunnels.find((t) => t.state === 'degraded');
  if (problem) return `${s.status}: ${problem.name} ${s.state[problem.state]}${problem.diagnosis ? ` — ${s.diagnosis(problem.diagnosis)}` : ''}`;
  const connecting = state.tunnels.filter((t) => t.state === 'connecting');
  if (connecting.length > 0) return `${s.status}: ${s.state.connecting} ${connecting.map((t) => t.name).join(', ')}`;
  const up = state.tunnels.filter((t) => t.state === 'up');
  if (up.length > 0) return `${s.status}: ${s.state.up} ${up.map((t) => t.name).join(', ')}`;
  return `${s.status}: ${s.allOff}`;
}

/** Every action in a model, by item id (the tray adapter and tests click through this). */
export function findAction(items: readonly TrayMenuItem[], id: string): TrayAction | undefined {
  for (const item of items) {
    if (item.id === id) return item.action;
    const inner = item.submenu && findAction(item.submenu, id);
    if (inner) return inner;
  }
  return undefined;
}
