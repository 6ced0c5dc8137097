// `wg setconf` for the engine: the config's WireGuard part as one UAPI set
// request. Endpoint host names are resolved here, once, at up (as wg does at
// parse time); numeric endpoints are used as written.
import { lookup } from 'node:dns/promises';
import { clampPrivateKey, parseIp, type WgConfig } from '../../../../shared/config/index.js';
import type { PeerOp, SetRequest } from '../../engine/uapi/device-api.js';
import { TunnelError } from './errors.js';
import type { Log } from './exec.js';

export interface ResolvedEndpoint {
  /** Numeric, IPv6 without brackets, zone kept (`fe80::1%eth0`). */
  host: string;
  port: number;
}

const RESOLVE_TIMEOUT_MS = 10_000;
const RESOLVE_ATTEMPTS = 3;

async function resolveHost(host: string): Promise<string> {
  let lastError: unknown;
  for (let attempt = 0; attempt < RESOLVE_ATTEMPTS; attempt++) {
    try {
      const result = await Promise.race([
        lookup(host, { verbatim: true }),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), RESOLVE_TIMEOUT_MS).unref()),
      ]);
      return result.address;
    } catch (err) {
      lastError = err;
      // Only a temporary failure (no answer yet) is worth another try, as wg retries EAI_AGAIN.
      if ((err as NodeJS.ErrnoException).code !== 'EAI_AGAIN') break;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const code = (lastError as NodeJS.ErrnoException).code;
  const why = code === 'ENOTFOUND' ? 'no such host' : code === 'EAI_AGAIN' ? 'the DNS server did not answer' : (lastError as Error).message;
  throw new TunnelError(`could not resolve endpoint host ${host}: ${why}; check the Endpoint line and your DNS`);
}

/** One resolved endpoint per peer (null for peers without one), in peer order. */
export async function resolveEndpoints(wg: WgConfig, log?: Log): Promise<(ResolvedEndpoint | null)[]> {
  const out: (ResolvedEndpoint | null)[] = [];
  for (const peer of wg.peers) {
    if (!peer.endpoint) {
      out.push(null);
      continue;
    }
    const { host, port } = peer.endpoint;
    if (parseIp(host.replace(/%.*$/, ''))) {
      out.push({ host, port });
      continue;
    }
    const address = await resolveHost(host);
    log?.(`[#] resolved endpoint ${host} to ${address}`);
    out.push({ host: address, port });
  }
  return out;
}

/** The setconf request: replace every peer, and every peer's allowed IPs. */
export function setconfRequest(wg: WgConfig, endpoints: readonly (ResolvedEndpoint | null)[], fwmark?: number): SetRequest {
  const peers: PeerOp[] = wg.peers.map((peer, i) => {
    const endpoint = endpoints[i] ?? null;
    const op: PeerOp = {
      publicKey: peer.publicKey,
      remove: false,
      updateOnly: false,
      replaceAllowedIps: true,
      allowedIps: peer.allowedIps.map((a) => ({ family: a.family, ip: a.bytes, cidr: a.cidr, remove: false })),
    };
    if (peer.presharedKey) op.presharedKey = peer.presharedKey;
    if (peer.persistentKeepalive !== undefined) op.persistentKeepaliveInterval = peer.persistentKeepalive;
    if (endpoint) {
      const [addr, zone] = endpoint.host.split('%');
      const parsed = parseIp(addr ?? '')!;
      op.endpoint = { family: parsed.family, ip: parsed.bytes, port: endpoint.port, zone: zone ?? null };
    }
    return op;
  });
  const req: SetRequest = { replacePeers: true, peers };
  if (wg.privateKey) req.privateKey = clampPrivateKey(wg.privateKey);
  if (wg.listenPort !== undefined) req.listenPort = wg.listenPort;
  const mark = fwmark ?? wg.fwMark;
  if (mark !== undefined) req.fwmark = mark;
  return req;
}

