// `wiredesk-tunnel [-f] IFNAME`: WireDesk's engine as a drop-in for
// wireguard-go. It creates the TUN interface and the UAPI socket
// /var/run/wireguard/IFNAME.sock, then (unless told to stay in the
// foreground) detaches, so wg-quick can configure it the moment the command
// returns. It exits, removing the socket, on SIGINT/SIGTERM, when the
// interface is deleted, or when the socket file is removed.
//
// `--await-name` (internal, with -f): the process loads, then reads its order
// on stdin: the interface name on the first line, then a blank line or the
// first configuration as a UAPI `set=1` request (with its blank line). So the
// helper can hold an engine that has already paid Node's start-up and module
// loading (a warm spare), the CLI can start one while it reads the config,
// and either configures it without a UAPI round trip; it handshakes with its
// peers as soon as it has reported ready. On fd 3 it reports
// "ok", "error: WHY" (it could not start) or "refused ERRNO WHY" (the
// configuration, as a UAPI set would answer). End of input without a name
// exits quietly.
import { mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { runDetached, tellParent } from './daemon.js';
import { Device } from './device.js';
import { DeviceUapi } from './device-uapi.js';
import { formatRecord, type EngineRecord } from '../../../shared/engine-events/event-stream.js';
import { createLogger, parseLogLevel, type Logger } from './logger.js';
import { LinuxTun } from './io/tun-linux.js';
import { LinuxUdpBind } from './io/udp-linux.js';
import { LinuxRouteMonitor } from './io/route-monitor-linux.js';
import { DEFAULT_LIMITS, listenUapi, startUapiServer, type UapiListener, type UapiServer } from './uapi/server.js';
import { parseSet } from './uapi/protocol-set.js';
import { errnoOf, UapiError, Errno } from './uapi/errors.js';
import type { SetRequest, UapiDevice } from './uapi/device-api.js';
import { isValidInterfaceName } from '../../../shared/config/index.js';
import { DEFAULT_MTU } from './core/constants.js';
import { startSpareWarmUp } from './spare-warm-up.js';
import { loadTransportCipher } from './crypto-transport.js';
import { errno, sys } from './io/libc.js';

const VERSION = '0.1.0';
const SOCKET_DIR = '/var/run/wireguard';
const READY_FD_ENV = 'WIREDESK_READY_FD';

const USAGE = `Usage: wiredesk-tunnel [-f/--foreground] INTERFACE-NAME

Starts WireDesk's userspace WireGuard engine on a new TUN interface, configured
through the WireGuard UAPI at ${SOCKET_DIR}/INTERFACE-NAME.sock (use wg(8)).
Set LOG_LEVEL=verbose|error|silent; WG_PROCESS_FOREGROUND=1 acts like -f.
WIREDESK_LOG_DIR=DIR appends the engine's events and its log (verbose unless
LOG_LEVEL says otherwise) to DIR/INTERFACE-NAME.log, one JSON record a line,
for the WireDesk helper.
`;

export async function main(argv: string[]): Promise<void> {
  let foreground = process.env.WG_PROCESS_FOREGROUND === '1';
  let awaitName = false;
  const names: string[] = [];
  for (const arg of argv) {
    if (arg === '-f' || arg === '--foreground') foreground = true;
    else if (arg === '--await-name') awaitName = true;
    else if (arg === '--version' || arg === '-v') {
      process.stdout.write(`wiredesk-tunnel v${VERSION}\n\nUserspace WireGuard engine of WireDesk, for Linux.\n`);
      return;
    } else if (arg === '-h' || arg === '--help') {
      process.stdout.write(USAGE);
      return;
    } else names.push(arg);
  }
  let firstSet: string | null = null;
  let early: EarlyUapi | null = null;
  try {
    if (awaitName && names.length === 0) {
      leaveTerminalSession();
      const ordered = orderFromStdin();
      early = listenEarly();
      const stopWarmUp = startSpareWarmUp();
      const order = await ordered;
      stopWarmUp();
      if (order === null) return;
      const { name } = order;
      firstSet = order.set;
      names.push(name);
      foreground = true;
      // ps and /proc/PID/cmdline show the name, as for `wiredesk-tunnel IFNAME`
      // (one string: the kernel keeps the original argv area, which this fits).
      if (isValidInterfaceName(name)) process.title = `${process.execPath} ${process.argv[1] ?? 'wiredesk-tunnel'} ${name}`;
    }
    if (names.length !== 1) {
      process.stderr.write(USAGE);
      process.exitCode = 2;
      return;
    }
    const ifname = names[0]!;
    if (!isValidInterfaceName(ifname)) {
      process.stderr.write(`wiredesk-tunnel: "${ifname}" is not a valid interface name (1-15 of a-z A-Z 0-9 _ = + . -).\n`);
      process.exitCode = 2;
      return;
    }
    const logDir = process.env.WIREDESK_LOG_DIR;
    const level = parseLogLevel(process.env.LOG_LEVEL ?? (logDir ? 'verbose' : undefined));
    if (!foreground) {
      process.exitCode = await daemonize(ifname, level !== 'silent' && !logDir);
      return;
    }
    const record = logDir ? recordWriter(logDir, ifname) : null;
    const writeLine = record ? (line: string) => record({ type: 'log', line: line.replace(/\n$/, '') }) : undefined;
    await runForeground(ifname, createLogger(level, `(${ifname}) `, writeLine), record, firstSet, early);
    early = null; // runForeground published it, or closed it on failure
  } finally {
    early?.discard();
  }
}

/** A spare's UAPI listener, bound while it waits (server.ts listenUapi); its log goes where `log` points once named. */
interface EarlyUapi {
  readonly listener: Promise<UapiListener>;
  log: (message: string) => void;
  discard(): void;
}

function listenEarly(): EarlyUapi {
  const early: EarlyUapi = {
    listener: listenUapi(SOCKET_DIR, { log: (m) => early.log(m) }),
    log: () => {},
    discard: () => void early.listener.then((l) => l.close(), () => {}),
  };
  early.listener.catch(() => { /* runForeground reports it when it publishes */ });
  return early;
}

/**
 * The order on stdin: the name on the first line, then a blank line, or the
 * first configuration up to and including its blank line. Not the end of
 * input: a pipe's writer may close it a while after writing. Null at end of
 * input without a name, or when the order is larger than any UAPI request
 * may be. stdin is released afterwards.
 */
function orderFromStdin(): Promise<{ name: string; set: string | null } | null> {
  return new Promise((resolve) => {
    let text = '';
    const stdin = process.stdin;
    const done = (order: { name: string; set: string | null } | null) => {
      stdin.removeAllListeners('data');
      stdin.destroy();
      resolve(order);
    };
    const named = (name: string, set: string) => done(name ? { name, set: set.trim() ? set : null } : null);
    stdin.setEncoding('utf8');
    stdin.on('data', (chunk: string) => {
      text += chunk;
      const nl = text.indexOf('\n');
      if (nl < 0) {
        if (text.length > 64) done(null); // no interface name is this long
        return;
      }
      const rest = text.slice(nl + 1);
      const end = rest.startsWith('\n') ? 1 : rest.indexOf('\n\n') + 2;
      if (end >= 1) named(text.slice(0, nl).trim(), rest.slice(0, end));
      else if (text.length > DEFAULT_LIMITS.maxRequestBytes) done(null);
    });
    stdin.on('end', () => {
      const nl = text.indexOf('\n');
      named((nl >= 0 ? text.slice(0, nl) : text).trim(), nl >= 0 ? text.slice(nl + 1) : '');
    });
    stdin.on('error', () => done(null));
  });
}

/** A first configuration in the wire form of a UAPI set (`set=1`, lines, a blank line). */
function parseFirstSet(text: string): SetRequest {
  const lines = text.split('\n');
  if (lines[0] !== 'set=1') throw new UapiError(Errno.EPROTO, 'the first configuration is not a set=1 request');
  return parseSet(lines.slice(1));
}

/** Appends records (shared/engine-events/event-stream.ts) to DIR/IFNAME.log, readable by root only. */
function recordWriter(dir: string, ifname: string): (record: EngineRecord) => void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const fd = openSync(`${dir}/${ifname}.log`, 'a', 0o600);
  return (record) => {
    try { writeSync(fd, formatRecord(record)); } catch { /* a full disk must not stop the tunnel */ }
  };
}

/**
 * A spare started by the CLI's launcher shares the terminal's session until
 * here: its own session keeps the terminal's signals and hangup from the
 * tunnel. (Calling setsid here rather than exec'ing setsid(1) first saves an
 * exec on the connect path.) The helper's spares lead their sessions already.
 */
function leaveTerminalSession(): void {
  if (sys.setsid() < 0 && errno() !== 1 /* EPERM: already a group leader */) {
    process.stderr.write(`wiredesk-tunnel: setsid failed (errno ${errno()})\n`);
  }
}

/** Starts the engine in a detached child and returns once it serves UAPI. */
function daemonize(ifname: string, keepOutput: boolean): Promise<number> {
  return runDetached({
    args: ['-f', ifname], env: { WG_PROCESS_FOREGROUND: '1' }, output: keepOutput ? 'inherit' : 'ignore',
    readyEnv: READY_FD_ENV, name: 'wiredesk-tunnel',
  });
}

/**
 * `record`, when the helper started us, receives every engine event;
 * `firstSet`, from a spare's order, is applied before the socket serves.
 */
async function runForeground(ifname: string, log: Logger, record: ((r: EngineRecord) => void) | null,
  firstSet: string | null = null, early: EarlyUapi | null = null): Promise<void> {
  const socketPath = `${SOCKET_DIR}/${ifname}.sock`;
  const uapiLog = (m: string) => log.verbose(`UAPI: ${m}`);
  const serve = async (api: UapiDevice) => {
    if (!early) return startUapiServer(socketPath, api, { log: uapiLog });
    early.log = uapiLog;
    return (await early.listener).publish(socketPath, api);
  };
  let device: Device;
  try {
    const tun = LinuxTun.create(ifname, { mtu: DEFAULT_MTU });
    device = new Device(tun, new LinuxUdpBind(), { logger: log, routes: openRouteMonitor(log) });
    if (record) device.events.on(record);
  } catch (e) {
    early?.discard();
    fail(`Failed to create TUN device ${ifname}: ${messageOf(e)}`, log);
    return;
  }
  const api = new DeviceUapi(device);
  let uapi: UapiServer;
  try {
    device.start();
    if (firstSet !== null) {
      try {
        api.set(parseFirstSet(firstSet));
      } catch (e) {
        device.close();
        early?.discard();
        refuse(e, log);
        return;
      }
    }
    uapi = await serve(loadingCipherAfterSet(api));
  } catch (e) {
    device.close();
    early?.discard(); // a listening spare must not outlive its failed start
    fail(`Failed to listen on UAPI socket ${socketPath}: ${messageOf(e)}`, log);
    return;
  }

  let stopping = false;
  const shutdown = (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    log.verbose(`Shutting down: ${reason}`);
    device.close();
    void uapi.close().finally(() => process.exit(code));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  device.tun.onClosed((err) => shutdown(err.deleted ? 'the interface was deleted' : 'the TUN device closed'));
  uapi.onSocketRemoved(() => shutdown('the UAPI socket was removed'));
  process.on('uncaughtException', (e) => {
    log.error(`Unexpected failure: ${messageOf(e)}`);
    try { unlinkSync(socketPath); } catch { /* already gone */ }
    process.exit(1);
  });

  log.verbose('UAPI listener started');
  tellParent(READY_FD_ENV, 'ok\n');
  if (firstSet !== null) {
    // Named and configured to bring a tunnel up: handshake now, while whoever
    // started us adds addresses and routes, so the first packet finds keys.
    device.handshakeWithPeers();
    setImmediate(loadTransportCipher);
  }
}

/**
 * The data path's cipher (up to 6 ms, from a system libcrypto) loads once a set has been
 * answered (or, for a spare's first configuration, once "ok" is reported):
 * not while whoever started us waits for that, but while they add addresses
 * and bring the link up, before the first packet.
 */
function loadingCipherAfterSet(api: UapiDevice): UapiDevice {
  return {
    get: () => api.get(),
    set: async (request) => {
      await api.set(request);
      setImmediate(loadTransportCipher);
    },
  };
}

/** Without rtnetlink the tunnel still works; it follows network changes only on its timers. */
function openRouteMonitor(log: Logger): LinuxRouteMonitor | null {
  try {
    return LinuxRouteMonitor.open();
  } catch (e) {
    log.error(`Not watching routes, so network changes are noticed only by handshake timers: ${messageOf(e)}`);
    return null;
  }
}

/** The first configuration was refused: its errno and why, as a UAPI set would have answered. */
function refuse(err: unknown, log: Logger): void {
  const why = messageOf(err).replace(/\n/g, ' ');
  log.error(`The first configuration was refused: ${why}`);
  tellParent(READY_FD_ENV, `refused ${errnoOf(err)} ${why}\n`);
  process.exitCode = 1;
}

function fail(message: string, log: Logger): void {
  log.error(message);
  if (process.env[READY_FD_ENV]) tellParent(READY_FD_ENV, `error: ${message}\n`);
  else process.stderr.write(`wiredesk-tunnel: ${message}\n`);
  process.exitCode = 1;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
