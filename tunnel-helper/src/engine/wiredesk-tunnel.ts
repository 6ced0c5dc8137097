// `wiredesk-tunnel [-f] IFNAME`: WireDesk's engine as a drop-in for
// wireguard-go. It creates the TUN interface and the UAPI socket
// /var/run/wireguard/IFNAME.sock, then (unless told to stay in the
// foreground) detaches, so wg-quick can configure it the moment the command
// returns. It exits, removing the socket, on SIGINT/SIGTERM, when the
// interface is deleted, or when the socket file is removed.
//
// `--await-name` (internal, with -f): the process loads, then waits for the
// interface name as one line on stdin, so the helper can hold an engine that
// has already paid Node's start-up and module loading (a warm spare) and the
// CLI can start one while it reads the config. End of input without a name
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
import { startUapiServer } from './uapi/server.js';
import type { UapiDevice } from './uapi/device-api.js';
import { isValidInterfaceName } from '../../../shared/config/index.js';
import { DEFAULT_MTU } from './core/constants.js';
import { nodeCrypto } from './crypto-node.js';
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
  if (awaitName && names.length === 0) {
    leaveTerminalSession();
    const named = nameFromStdin();
    setImmediate(warmUp);
    const name = await named;
    if (name === null) return;
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
  await runForeground(ifname, createLogger(level, `(${ifname}) `, writeLine), record);
}

/**
 * A spare pays the first-use cost of OpenSSL's X25519 and BLAKE2s (about
 * 3 ms) while it waits for its name; the first configuration would wait on
 * it otherwise. Not libcrypto's data-path cipher: it takes longer than a CLI
 * leaves between the spare's start and its name, and loads after the first
 * set anyway (loadingCipherAfterSet).
 */
function warmUp(): void {
  const own = nodeCrypto.generatePrivateKey();
  const peer = nodeCrypto.publicKey(nodeCrypto.generatePrivateKey());
  const secret = nodeCrypto.dh(own, peer) ?? own;
  nodeCrypto.seal(nodeCrypto.hmac(nodeCrypto.hash(secret, peer), secret), 0n, peer, own);
}

/** The first line on stdin, or null at end of input; stdin is released afterwards. */
function nameFromStdin(): Promise<string | null> {
  return new Promise((resolve) => {
    let text = '';
    const stdin = process.stdin;
    const done = (name: string | null) => {
      stdin.removeAllListeners('data');
      stdin.destroy();
      resolve(name);
    };
    stdin.setEncoding('utf8');
    stdin.on('data', (chunk: string) => {
      text += chunk;
      const nl = text.indexOf('\n');
      if (nl >= 0) done(text.slice(0, nl).trim() || null);
      else if (text.length > 64) done(text.trim());
    });
    stdin.on('end', () => done(text.trim() || null));
    stdin.on('error', () => done(null));
  });
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

/** `record`, when the helper started us, receives every engine event. */
async function runForeground(ifname: string, log: Logger, record: ((r: EngineRecord) => void) | null): Promise<void> {
  const socketPath = `${SOCKET_DIR}/${ifname}.sock`;
  let device: Device;
  try {
    const tun = LinuxTun.create(ifname, { mtu: DEFAULT_MTU });
    device = new Device(tun, new LinuxUdpBind(), { logger: log, routes: openRouteMonitor(log) });
    if (record) device.events.on(record);
  } catch (e) {
    fail(`Failed to create TUN device ${ifname}: ${messageOf(e)}`, log);
    return;
  }
  let uapi: Awaited<ReturnType<typeof startUapiServer>>;
  try {
    device.start();
    uapi = await startUapiServer(socketPath, loadingCipherAfterSet(new DeviceUapi(device)), { log: (m) => log.verbose(`UAPI: ${m}`) });
  } catch (e) {
    device.close();
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
}

/**
 * The data path's cipher (libcrypto, about 8 ms) loads once a set has been
 * answered: not while whoever started us waits for "ready" or for that
 * answer, but while they add addresses and bring the link up, before the
 * first packet.
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

function fail(message: string, log: Logger): void {
  log.error(message);
  if (process.env[READY_FD_ENV]) tellParent(READY_FD_ENV, `error: ${message}\n`);
  else process.stderr.write(`wiredesk-tunnel: ${message}\n`);
  process.exitCode = 1;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
