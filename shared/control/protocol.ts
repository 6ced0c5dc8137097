// The app <-> helper protocol: ONE versioned table of calls and events.
// The helper's handlers, the app's client and test mocks are all typed from
// `methods` and `events` below, and both ends validate what they receive
// with the same checks. Pure (no node:*): the Electron main process imports it.
//
// Wire format (see frame.ts): u32 big-endian length + UTF-8 JSON, at most
// MAX_FRAME_BYTES per frame.
//   call      app -> helper   { id, method, params }
//   reply     helper -> app   { id, result } | { id, error: { code, message, diagnostics? } }
//   event     helper -> app   { event, data }
// The app sends `hello` first; the helper answers with its protocol version
// and capabilities. A different PROTOCOL_VERSION means incompatible.
import { arr, bool, CheckError, int, nullable, obj, oneOf, str, type Check, type Infer } from '../check.js';
import { tunnelName } from '../config/interface-name.js';
import { DESKTOP_ID_PATTERN } from '../apps/desktop-entry.js';
import { publicKey, epochMs, killSwitch, tunnelState, recoveryStep, diagnosis, peerStats, peerStatus, tunnelStatus, logLine, networkIdentity, tunnelOptions, roamingReason, probeResult } from './values.js';

export { CheckError } from '../check.js';
export * from './values.js';
export { encodeFrame, decodeFrame, FrameDecoder, MAX_FRAME_BYTES, type DecodedFrame } from './frame.js';

export const PROTOCOL_VERSION = 1;

// ---- calls ---------------------------------------------------------------

/** Every call: its params and result checks. Add a row, bump nothing else. */
export const methods = {
  hello: {
    params: obj({ protocolVersion: int(0, 65535) }, { client: str({ max: 200 }) }),
    result: obj({
      protocolVersion: int(0, 65535),
      helperVersion: str({ max: 64 }),
      capabilities: arr(str({ max: 64 }), 64),
      ownerUid: int(0, 0xffffffff),
      allowScripts: bool,
    }),
  },
  listTunnels: {
    params: obj({}),
    result: obj({ tunnels: arr(obj({ name: tunnelName, state: tunnelState, since: nullable(epochMs) }), 256) }),
  },
  /** The network the computer is on now (the `network` event says when it changes). */
  network: {
    params: obj({}),
    result: networkIdentity,
  },
  up: {
    params: obj({ name: tunnelName, configText: str({ max: 256 * 1024, hint: 'the config text (at most 256 KiB)' }) }, { options: tunnelOptions }),
    result: tunnelStatus,
  },
  down: {
    params: obj({ name: tunnelName }),
    result: obj({ name: tunnelName, state: tunnelState }),
  },
  status: {
    params: obj({}, { name: tunnelName }),
    result: obj({ tunnels: arr(tunnelStatus, 256) }),
  },
  setOptions: {
    params: obj({ name: tunnelName, options: tunnelOptions }),
    result: tunnelStatus,
  },
  logs: {
    params: obj({}, { name: tunnelName, limit: int(1, 5000) }),
    result: obj({ lines: arr(logLine, 5000) }),
  },
  /** Handshake-only check of a config that is not up (a failover group's
   *  higher-ranked member): a throwaway interface with no addresses, routes
   *  or DNS, whose UDP bypasses the running tunnels' policy routing. */
  probe: {
    params: obj({ name: tunnelName, configText: str({ max: 256 * 1024, hint: 'the config text (at most 256 KiB)' }) }, { timeoutMs: int(1000, 60_000) }),
    result: probeResult,
  },
  /** Starts an installed app as the helper's user, in that user's session, with its traffic outside every tunnel
   *  (tunnel null) or only through `tunnel`, which must be up. The helper reads the desktop entry itself from the
   *  user's and the system's XDG data dirs; only its ID crosses the socket, never a path or a command. */
  launchApp: {
    params: obj({
      desktopId: str({ max: 255, pattern: DESKTOP_ID_PATTERN, hint: 'a desktop file ID such as firefox.desktop' }),
      tunnel: nullable(tunnelName),
      session: obj({}, { DISPLAY: str({ max: 300 }), WAYLAND_DISPLAY: str({ max: 300 }), XDG_RUNTIME_DIR: str({ max: 300 }), DBUS_SESSION_BUS_ADDRESS: str({ max: 300 }) }),
    }),
    result: obj({ pid: int(1, 0x7fffffff), name: str({ max: 1000 }) }),
  },
} as const satisfies Record<string, { params: Check<unknown>; result: Check<unknown> }>;

// ---- events --------------------------------------------------------------

export const events = {
  'tunnel-state': obj({ name: tunnelName, state: tunnelState, reason: nullable(str({ max: 2000 })), diagnosis: nullable(diagnosis), at: epochMs }),
  /** Once a second per running tunnel. */
  stats: obj({ name: tunnelName, at: epochMs, peers: arr(peerStats, 4096) }),
  handshake: obj({ name: tunnelName, publicKey, kind: oneOf('initiated', 'completed', 'failed'), at: epochMs, diagnosis: nullable(diagnosis) }),
  /** The peer's endpoint changed: it (or a NAT in between) moved. */
  roaming: obj({ name: tunnelName, publicKey, from: nullable(str({ max: 64 })), to: str({ max: 64 }), at: epochMs },
    { reason: roamingReason, host: str({ max: 255 }) }),
  log: logLine,
  /** The computer moved to another network (or went offline). */
  network: networkIdentity,
} as const satisfies Record<string, Check<unknown>>;

export type MethodName = keyof typeof methods;
export type EventName = keyof typeof events;
export type Params<M extends MethodName> = Infer<(typeof methods)[M]['params']>;
export type Result<M extends MethodName> = Infer<(typeof methods)[M]['result']>;
export type EventData<E extends EventName> = Infer<(typeof events)[E]>;
export type KillSwitch = Infer<typeof killSwitch>;
export type NetworkIdentity = Infer<typeof networkIdentity>;
export type TunnelState = Infer<typeof tunnelState>;
export type RecoveryStep = Infer<typeof recoveryStep>;
export type RoamingReason = Infer<typeof roamingReason>;
export type Diagnosis = Infer<typeof diagnosis>;
/** Every diagnosis code, for what must cover them all (the app's wording and its test). */
export const DIAGNOSIS_CODES = ['no-reply', 'peer-under-load', 'endpoint-unresolved', 'key-mismatch', 'handshake-expired', 'engine-stopped',
  'setup-failed', 'resumed-from-sleep', 'dead-tunnel', 'teardown-failed'] as const satisfies readonly Diagnosis['code'][];
// The list misses no code: this line fails to compile when it does.
export const diagnosisCodesComplete: Exclude<Diagnosis['code'], (typeof DIAGNOSIS_CODES)[number]> extends never ? true : never = true;
export type PeerStats = Infer<typeof peerStats>;
export type PeerStatus = Infer<typeof peerStatus>;
export type TunnelStatus = Infer<typeof tunnelStatus>;
export type LogLine = Infer<typeof logLine>;
export type ProbeResult = Infer<typeof probeResult>;
export type ConfigProblem = Infer<typeof configProblem>;

/** What the helper implements: one async handler per method, typed from the table. */
export type Handlers<Ctx = void> = { [M in MethodName]: (params: Params<M>, ctx: Ctx) => Promise<Result<M>> };

// ---- messages ------------------------------------------------------------

export const ERROR_CODES = [
  'bad-frame', 'bad-request', 'unknown-method', 'invalid-params', 'unsupported-version', 'busy', 'forbidden',
  'config-invalid', 'conflict', 'not-found', 'tunnel-failed', 'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const configProblem = obj({ line: int(0), column: int(0), severity: oneOf('error', 'warning'), message: str({ max: 2000 }) });
const errorBody = obj({ code: oneOf(...ERROR_CODES), message: str({ max: 16384 }) }, { diagnostics: arr(configProblem, 1000) });

/** An error with a code the app can switch on and a sentence it can show. */
export class ProtocolError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly diagnostics?: ConfigProblem[]) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export type ErrorBody = Infer<typeof errorBody>;
export type Request = { id: number; method: MethodName; params: unknown };
export type Response = { id: number | null; result: unknown } | { id: number | null; error: ErrorBody };
export type EventMessage = { event: EventName; data: unknown };

const requestId = int(0, 0x7fffffff);

export function isMethodName(m: unknown): m is MethodName {
  return typeof m === 'string' && Object.hasOwn(methods, m);
}

export function isEventName(e: unknown): e is EventName {
  return typeof e === 'string' && Object.hasOwn(events, e);
}

/**
 * Checks an incoming call. Throws ProtocolError carrying the request id when
 * it could be read, so the reply can still be matched to the call.
 */
export function parseRequest(msg: unknown): { id: number; method: MethodName; params: unknown } {
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
    throw new RequestError(null, 'bad-request', 'A request must be a JSON object { id, method, params }.');
  }
  const m = msg as Record<string, unknown>;
  let id: number;
  try {
    id = requestId(m.id, 'id', true);
  } catch (e) {
    throw new RequestError(null, 'bad-request', (e as Error).message);
  }
  if (!isMethodName(m.method)) {
    const shown = typeof m.method === 'string' ? JSON.stringify(m.method.slice(0, 64)) : `of type ${Array.isArray(m.method) ? 'array' : typeof m.method}`;
    throw new RequestError(id, 'unknown-method', `Unknown method ${shown}; this helper knows ${Object.keys(methods).join(', ')}.`);
  }
  for (const key of Object.keys(m)) {
    if (key !== 'id' && key !== 'method' && key !== 'params') throw new RequestError(id, 'bad-request', `${key.slice(0, 64)}: unknown field in a request`);
  }
  return { id, method: m.method, params: m.params ?? {} };
}

/** Validates params with the method's check (strict: unknown keys are refused). */
export function checkParams<M extends MethodName>(method: M, params: unknown): Params<M> {
  try {
    return methods[method].params(params, 'params', true) as Params<M>;
  } catch (e) {
    if (e instanceof CheckError) throw new ProtocolError('invalid-params', `${method}: ${e.message}`);
    throw e;
  }
}

export function checkResult<M extends MethodName>(method: M, result: unknown): Result<M> {
  return methods[method].result(result, 'result', false) as Result<M>;
}

export function checkEventData<E extends EventName>(event: E, data: unknown): EventData<E> {
  return events[event](data, 'data', false) as EventData<E>;
}

export function checkErrorBody(body: unknown): ErrorBody {
  return errorBody(body, 'error', false);
}

/** A ProtocolError that also knows the id of the request it answers. */
export class RequestError extends ProtocolError {
  constructor(readonly id: number | null, code: ErrorCode, message: string) {
    super(code, message);
  }
}

/** Classifies a message the app received: a reply or an event. */
export function parseIncoming(msg: unknown):
  | { kind: 'reply'; id: number | null; result?: unknown; error?: ErrorBody }
  | { kind: 'event'; event: EventName; data: unknown }
  | { kind: 'unknown' } {
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return { kind: 'unknown' };
  const m = msg as Record<string, unknown>;
  if (isEventName(m.event)) return { kind: 'event', event: m.event, data: m.data };
  if ('id' in m && (m.id === null || typeof m.id === 'number')) {
    if ('error' in m) return { kind: 'reply', id: m.id, error: checkErrorBody(m.error) };
    if ('result' in m) return { kind: 'reply', id: m.id, result: m.result };
  }
  return { kind: 'unknown' };
}

export { type Check, type Infer };
