import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkConfig, formatCidr, loadConfig, serializeConfig } from '../../../../shared/config/index.js';
import { A, B, conf, validConf } from './helpers.js';

describe('loadConfig: text to the value every later stage takes', () => {
  it('gives the wg and wg-quick parts of a valid config, its lines and its warnings, all from one parse', () => {
    const text = conf('[Interface]', `PrivateKey = ${A.priv}`, 'Address = 10.0.0.2/24', 'MTU = 1400', 'MTU = 1380', '', '[Peer]', `PublicKey = ${B.pub}`, 'AllowedIPs = 10.9.0.1/16');
    const { config, diagnostics, parsed } = loadConfig(text);
    assert.ok(config);
    assert.equal(config.parsed, parsed);
    assert.equal(serializeConfig(config.parsed), text);
    assert.deepEqual(config.quick.addresses.map(formatCidr), ['10.0.0.2/24']);
    assert.equal(config.quick.mtu, 1380);
    assert.deepEqual(config.wg.peers[0]?.allowedIps.map(formatCidr), ['10.9.0.0/16']);
    assert.deepEqual(diagnostics, checkConfig(text));
    assert.deepEqual(diagnostics.map((d) => d.severity), ['warning', 'warning']);
  });

  it('gives no value for a config with errors, and every diagnostic with its line', () => {
    const text = validConf('AllowedIPs = 10.0.0.0/33');
    const { config, diagnostics, parsed } = loadConfig(text);
    assert.equal(config, null);
    assert.deepEqual(diagnostics, checkConfig(text));
    assert.deepEqual(diagnostics.map((d) => [d.line, d.severity]), [[6, 'error']]);
    assert.equal(parsed.peers.length, 1);
  });
});
