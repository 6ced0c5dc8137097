// The one renderer<->main contract. Every call and event is listed here once;
// the main-side handler table, the preload, the renderer client and the test
// doubles are all typed from it. Arguments (renderer -> main) are checked at
// runtime; results and events come from main and carry their types only.
import { args, arr, bool, int, nullable, obj, oneOf, str, trusted, type Check, type Infer } from '../check.js';
import { tunnelName } from '../config/interface-name.js';
import { onDemandRule, type OnDemandView } from './on-demand.js';
import type {
  AppInfo, DemoResult, HelperStatus, ImportSummary, LogLine, NavigateTarget, QrCode, SaveResult, Settings, StatsSample,
  TunnelDetail, TunnelHistory, TunnelState, TunnelSummary, Diagnosis, HandshakeEntry, RoamingEntry,
} from './types.js';
import { groupSpec, type GroupStatus } from './groups.js';
import { excludePrivateRecord, type ExcludePrivateRecordValue, type LanBypassView } from './routing-options.js';
import { desktopId, splitAppLists, type LaunchResult, type SplitAppsView } from './split-apps.js';

/** A .conf is small; 256 KiB is far beyond any real one. */
const configText = str({ max: 256 * 1024 });
const fileName = str({ max: 255 });
/** A DNS name is at most 253 characters; brackets and ":65535" fit in the rest. */
const demoHost = str({ max: 300 });

interface Invoke<A extends Check<unknown[]>, R> {
  readonly args: A;
  readonly result: Check<R>;
}
function invoke<A extends Check<unknown[]>, R>(a: A, _result?: R): Invoke<A, R> {
  return { args: a, result: trusted<R>() };
}
const none = args();

export const invokes = {
  'app:info': invoke(none, {} as AppInfo),
  'ondemand:get': invoke(none, {} as OnDemandView),
  'ondemand:setRule': invoke(args(tunnelName, onDemandRule), {} as OnDemandView),
  /** Trusts the network the helper reports now. */
  'ondemand:trustCurrent': invoke(none, {} as OnDemandView),
  'ondemand:untrust': invoke(args(str({ min: 1, max: 400 })), {} as OnDemandView),
  /** A tunnel's split DNS domains (kept in WireDesk's profile, not the .conf); [] when every query goes to its servers. */
  'splitdns:get': invoke(args(tunnelName), [] as string[]),
  /** Normalized domains (shared/dns/split-domains.ts); applied to a running tunnel by reconnecting it. */
  'splitdns:set': invoke(args(tunnelName, arr(str({ max: 253 }), 64)), [] as string[]),
  'tunnels:list': invoke(none, [] as TunnelSummary[]),
  'tunnels:detail': invoke(args(tunnelName), {} as TunnelDetail),
  'tunnels:history': invoke(args(tunnelName), {} as TunnelHistory),
  'tunnels:setActive': invoke(args(tunnelName, bool), undefined as void),
  /** The full text, private key included: for the editor only. */
  'tunnels:readConfig': invoke(args(tunnelName), '' as string),
  /** originalName is null for a new tunnel; a different name renames. */
  'tunnels:save': invoke(args(nullable(tunnelName), tunnelName, configText), {} as SaveResult),
  'tunnels:remove': invoke(args(tunnelName), undefined as void),
  /** Dropped, picked or pasted files, read by the renderer; data is base64 (a QR code image may be 16 MiB). */
  'tunnels:importFiles': invoke(
    args(arr(obj({ name: fileName, data: str({ max: 22 * 1024 * 1024 }) }), 200)),
    {} as ImportSummary,
  ),
  'tunnels:importText': invoke(args(configText, nullable(tunnelName)), {} as ImportSummary),
  /** Asks the WireGuard demo server at host (`host`, `host:port`, `[v6]:port`) for a tunnel and saves it. */
  'tunnels:createDemo': invoke(args(demoHost), {} as DemoResult),
  'tunnels:exportConf': invoke(args(tunnelName), false as boolean),
  'tunnels:exportAll': invoke(none, false as boolean),
  'tunnels:qr': invoke(args(tunnelName), {} as QrCode),
  'tunnels:logs': invoke(args(tunnelName), [] as LogLine[]),
  'tunnels:saveLogs': invoke(args(tunnelName, str({ max: 4 * 1024 * 1024 })), false as boolean),
  /** "Exclude the network I'm on": the option and, while the tunnel runs, the subnets it bypasses now. */
  'tunnels:lanBypass': invoke(args(tunnelName), {} as LanBypassView),
  /** Turns it on or off; a running tunnel changes in place, without reconnecting. */
  'tunnels:setExcludeLan': invoke(args(tunnelName, bool), {} as LanBypassView),
  /** What "Exclude private IPs" needs to restore AllowedIPs exactly; null when it was not turned on here. */
  'tunnels:excludePrivateRecord': invoke(args(tunnelName), null as ExcludePrivateRecordValue | null),
  'tunnels:setExcludePrivateRecord': invoke(args(tunnelName, nullable(excludePrivateRecord)), undefined as void),
  'settings:get': invoke(none, {} as Settings),
  'settings:set': invoke(
    args(obj({}, {
      startAtLogin: bool,
      startHidden: bool,
      restoreTunnels: bool,
      killSwitch: bool,
      allowLan: bool,
      deadAfterSeconds: int(5, 3600),
      language: oneOf('system', 'en', 'ja'),
      theme: oneOf('system', 'light', 'dark'),
    })),
    {} as Settings,
  ),
  'helper:status': invoke(none, {} as HelperStatus),
  'helper:restart': invoke(none, {} as HelperStatus),
  'helper:setup': invoke(none, {} as HelperStatus),
  'groups:list': invoke(none, [] as GroupStatus[]),
  /** originalName is null for a new group; a different name renames. Throws a sentence for a bad group. */
  'groups:save': invoke(args(nullable(str({ max: 64 })), groupSpec), [] as GroupStatus[]),
  'groups:remove': invoke(args(str({ max: 64 })), undefined as void),
  'groups:setActive': invoke(args(str({ max: 64 }), bool), undefined as void),
  /** Per-app split tunneling: the installed apps and the user's two lists (re-reads the installed apps). */
  'splitapps:get': invoke(none, {} as SplitAppsView),
  'splitapps:set': invoke(args(splitAppLists), {} as SplitAppsView),
  /** Starts an app through the helper: outside the tunnels (tunnel null) or only through a tunnel that is on. */
  'splitapps:launch': invoke(args(desktopId, nullable(tunnelName)), {} as LaunchResult),
  /** Public values only (keys, addresses, log text). */
  'clipboard:write': invoke(args(str({ max: 4 * 1024 * 1024 })), undefined as void),
} as const;

export const events = {
  'ondemand:changed': trusted<OnDemandView>(),
  'tunnels:changed': trusted<TunnelSummary[]>(),
  'tunnel:state': trusted<{ name: string; state: TunnelState; diagnosis?: Diagnosis }>(),
  'tunnel:stats': trusted<StatsSample>(),
  'tunnel:handshake': trusted<HandshakeEntry>(),
  'tunnel:roaming': trusted<RoamingEntry>(),
  'tunnel:log': trusted<LogLine>(),
  'helper:status': trusted<HelperStatus>(),
  'settings:changed': trusted<Settings>(),
  'app:navigate': trusted<NavigateTarget>(),
  'groups:changed': trusted<GroupStatus[]>(),
} as const;

export type InvokeName = keyof typeof invokes;
export type EventName = keyof typeof events;
export type InvokeArgs<K extends InvokeName> = Infer<(typeof invokes)[K]['args']>;
export type InvokeResult<K extends InvokeName> = Infer<(typeof invokes)[K]['result']>;
export type EventPayload<K extends EventName> = Infer<(typeof events)[K]>;

/** What main implements: one function per call. */
export type Handlers = { [K in InvokeName]: (...a: InvokeArgs<K>) => Promise<InvokeResult<K>> | InvokeResult<K> };

/** What the preload (or the test bridge) exposes as window.ipc. */
export interface IpcApi {
  invoke<K extends InvokeName>(channel: K, ...a: InvokeArgs<K>): Promise<InvokeResult<K>>;
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void;
}

/** Sends one event to the renderer(s). */
export type EmitEvent = <K extends EventName>(event: K, payload: EventPayload<K>) => void;

export const invokeNames = Object.keys(invokes) as InvokeName[];
export const eventNames = Object.keys(events) as EventName[];

/** Electron channel for an event, kept apart from invoke channels. */
export function eventChannel(event: EventName): string {
  return `event:${event}`;
}
