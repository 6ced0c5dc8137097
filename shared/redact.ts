// Keeps secrets out of every log line, on both sides of the socket: key
// material in config (`PrivateKey = …`, also `PrivateKey: …`) or UAPI form
// (`private_key=<hex>`), and any exact secret of a running tunnel (base64 or
// hex) wherever it shows up, e.g. in a hook's output. Pure.
import { encodeKey, keyToHex } from './config/keys.js';
import type { WgConfig } from './config/wg-config.js';

// Any case, and inside longer names too ("wgPrivateKey: …"): hiding too much
// is harmless. The value stops at a space or a `#`, which starts a .conf comment.
const CONFIG_SECRET = /(PrivateKey|PresharedKey)(\s*[=:]\s*)([^\s#]+)/gi;
const UAPI_SECRET = /(private_key|preshared_key)=[0-9a-f]{64}/gi;

export function redactLine(line: string, secrets: Iterable<string> = []): string {
  let out = line.replace(CONFIG_SECRET, '$1$2(hidden)').replace(UAPI_SECRET, '$1=(hidden)');
  for (const s of secrets) if (s.length >= 16 && out.includes(s)) out = out.split(s).join('(hidden)');
  return out;
}

/** A config text with its secret values hidden, line numbers intact. */
export function redactConfig(text: string): string {
  return text.split('\n').map((l) => redactLine(l)).join('\n');
}

/** The secrets of a valid config, in every form they might be printed in. */
export function secretsOf(config: WgConfig): string[] {
  const keys = [config.privateKey, ...config.peers.map((p) => p.presharedKey)].filter((k): k is Uint8Array => !!k);
  return keys.flatMap((k) => [encodeKey(k), keyToHex(k)]);
}
