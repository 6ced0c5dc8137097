// The e2e lab: two network namespaces joined by a veth. "peer" runs Debian's
// wireguard-go as the server; "app" runs the real wiredesk-helper (and the
// engines it starts). Only namespace-internal addresses are used; the bridge
// and browser stay on 127.0.0.1 in the root namespace and reach the helper
// through its Unix socket (a file path, which namespaces share).
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey, publicKeyFromPrivate } from '../../../shared/config/index.js';
import { connectControl } from '../../../electron/app-core/helper/control-adapter.js';
import type { HelperLauncher } from '../../../electron/app-core/helper/helper-connection.js';
import { Netns, vethPair, waitFor } from '../../support/netns.js';
import { HELPER_VERSION } from '../../../tunnel-helper/src/helper/control/helper.js';

export const PEER_ADDR = '10.213.0.2';
export const APP_ADDR = '10.213.0.1';
export const PEER_TUNNEL_IP = '10.99.0.1';
export const APP_TUNNEL_IP = '10.99.0.2';

export class Lab {
  readonly app = new Netns('app');
  readonly peer = new Netns('peer');
  readonly dir = mkdtempSync(join(tmpdir(), 'wiredesk-e2e-'));
  readonly socket = join(this.dir, 'helper.sock');
  readonly peerIf = `wdp${process.pid % 100000}`;
  readonly appKey = generatePrivateKey();
  readonly peerKey = generatePrivateKey();
  peerPort = 51820;
  private helper: ChildProcess | null = null;
  private wg: ChildProcess | null = null;

  constructor(private readonly root: string) {
    vethPair(this.app, `${APP_ADDR}/24`, this.peer, `${PEER_ADDR}/24`);
  }

  /** The client config the user imports. */
  clientConfig(): string {
    return [
      '# Office tunnel for the end-to-end tests',
      '[Interface]',
      `PrivateKey = ${this.appKey}`,
      `Address = ${APP_TUNNEL_IP}/24`,
      '',
      '[Peer]',
      '# the wireguard-go server in the peer namespace',
      `PublicKey = ${publicKeyFromPrivate(this.peerKey)}`,
      `Endpoint = ${PEER_ADDR}:${this.peerPort}`,
      `AllowedIPs = ${PEER_TUNNEL_IP}/32`,
      'PersistentKeepalive = 5',
      '',
    ].join('\n');
  }

  /** Starts wireguard-go in the peer namespace, without the app as a peer yet. */
  async startPeer(): Promise<void> {
    this.wg = this.peer.spawn('wireguard-go', ['-f', this.peerIf]);
    await waitFor(() => existsSync(`/var/run/wireguard/${this.peerIf}.sock`), 10_000, 'wireguard-go socket');
    const keyFile = join(this.dir, 'peer.key');
    writeFileSync(keyFile, this.peerKey, { mode: 0o600 });
    this.peer.exec('wg', ['set', this.peerIf, 'private-key', keyFile, 'listen-port', String(this.peerPort)]);
    this.peer.exec('ip', ['addr', 'add', `${PEER_TUNNEL_IP}/24`, 'dev', this.peerIf]);
    this.peer.exec('ip', ['link', 'set', this.peerIf, 'up']);
  }

  /** Lets the app's handshakes in: until now they were ignored as unknown. */
  acceptApp(): void {
    this.peer.exec('wg', ['set', this.peerIf, 'peer', publicKeyFromPrivate(this.appKey), 'allowed-ips', `${APP_TUNNEL_IP}/32`]);
  }

  /** The peer moves to another port; its next packet makes the app's engine roam. */
  movePeer(port: number): void {
    this.peerPort = port;
    this.peer.exec('wg', ['set', this.peerIf, 'listen-port', String(port)]);
  }

  stopPeer(): void {
    this.wg?.kill('SIGTERM');
    try { execFileSync('ip', ['netns', 'exec', this.peer.name, 'ip', 'link', 'del', this.peerIf], { stdio: 'ignore' }); } catch { /* already gone */ }
  }

  pingFromApp(count: number, size = 1000): void {
    this.app.exec('ping', ['-c', String(count), '-i', '0.2', '-s', String(size), '-W', '2', PEER_TUNNEL_IP], { timeoutMs: 30_000 });
  }

  pingFromPeer(count: number): void {
    this.peer.exec('ping', ['-c', String(count), '-i', '0.2', '-W', '2', APP_TUNNEL_IP], { timeoutMs: 30_000 });
  }

  /** Plays sudo-prompt: starts the real helper as root inside the app namespace. */
  launcher(): HelperLauncher & { launches: number } {
    const { app, socket, dir, root } = this;
    const setHelper = (c: ChildProcess) => { this.helper = c; };
    const launcher = {
      launches: 0,
      connect: () => connectControl(socket, 0),
      appVersion: HELPER_VERSION,
      installed: () => ({ state: 'current', version: HELPER_VERSION }) as const,
      async install() {
        throw new Error('the e2e lab starts the helper from the checkout');
      },
      async start() {
        launcher.launches++;
        const helper = app.spawn(process.execPath, [
          join(root, 'tunnel-helper/bin/wiredesk-helper'), '--owner-uid', '0', '--socket', socket,
          '--log-dir', join(dir, 'logs'), '--policy', join(dir, 'policy.json'),
        ], { WIREDESK_STATE_DIR: join(dir, 'state') });
        setHelper(helper);
        helper.stderr?.on('data', (d: Buffer) => process.env.WIREDESK_E2E_VERBOSE && process.stderr.write(d));
        await waitFor(() => existsSync(socket), 15_000, 'the helper socket');
      },
    };
    return launcher;
  }

  async destroy(): Promise<void> {
    if (this.helper && this.helper.exitCode === null) {
      this.helper.kill('SIGTERM');
      await new Promise((r) => this.helper!.once('exit', r)).catch(() => undefined);
    }
    this.stopPeer();
    this.app.destroy();
    this.peer.destroy();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
