import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  hasErrors, parseConfig, serializeConfig, stripConfig, toQuickConfig, toWgConfig, validateConfig,
} from '../../../../shared/config/index.js';
import { corpusDir, corpusFiles } from './helpers.js';

const valid = corpusFiles();
const invalid = corpusFiles('invalid');
const wiredeskOnly = corpusFiles('wiredesk-only');

describe('the sample corpus', () => {
  it('holds at least 12 valid configs and some broken ones', () => {
    assert.ok(valid.length >= 12, `only ${valid.length} valid configs`);
    assert.ok(invalid.length >= 8, `only ${invalid.length} invalid configs`);
  });

  for (const { name, text } of [...valid, ...invalid.map((f) => ({ ...f, name: `invalid/${f.name}` })), ...wiredeskOnly.map((f) => ({ ...f, name: `wiredesk-only/${f.name}` }))]) {
    it(`round-trips ${name} byte for byte`, () => {
      const bytes = Buffer.from(text, 'utf8');
      assert.deepEqual(Buffer.from(serializeConfig(parseConfig(text)), 'utf8'), bytes);
    });
  }

  for (const { name, text } of [...valid, ...wiredeskOnly]) {
    it(`accepts ${name} without errors and converts it`, () => {
      const parsed = parseConfig(text);
      const diagnostics = validateConfig(parsed);
      assert.equal(hasErrors(diagnostics), false, JSON.stringify(diagnostics));
      assert.ok(toWgConfig(parsed).privateKey);
      assert.ok(toQuickConfig(parsed));
    });
  }

  for (const { name, text } of valid) {
    it(`strips ${name} exactly as the real wg-quick strip did`, () => {
      // strip-expected/*.txt were produced by wireguard-tools' `wg-quick strip`.
      const expectedPath = corpusDir('strip-expected', name.replace(/\.conf$/, '.txt'));
      assert.ok(existsSync(expectedPath), `no recorded wg-quick output for ${name}`);
      assert.equal(stripConfig(parseConfig(text)), readFileSync(expectedPath, 'utf8'));
    });
  }
});

// Where each broken file must be flagged: [line, message pattern].
const expectedErrors: Record<string, [number, RegExp][]> = {
  'bad-addresses.conf': [[3, /Address entry "10.0.0.256\/24"/], [4, /DNS server "1.1.1"/], [8, /"10.0.0.0\/33" has a bad prefix length/], [9, /"fd00:::1\/128" is not a valid IP/]],
  'duplicate-peer.conf': [[10, /already used by the peer on line 4/]],
  'endpoint-without-port.conf': [[6, /Endpoint needs a port/]],
  'line-outside-section.conf': [[2, /Put this line under an \[Interface\] or \[Peer\]/]],
  'missing-equals.conf': [[3, /no "="/]],
  'missing-interface.conf': [[1, /no \[Interface\] section/]],
  'missing-private-key.conf': [[2, /has no PrivateKey/]],
  'out-of-range.conf': [[3, /ListenPort/], [4, /FwMark/], [5, /MTU/], [6, /Table/], [7, /SaveConfig/], [12, /Endpoint port/], [13, /PersistentKeepalive/]],
  'peer-without-public-key.conf': [[8, /has no PublicKey/]],
  'short-public-key.conf': [[6, /got 43 characters/]],
  'unknown-key.conf': [[3, /Unknown key "Adress".*did you mean Address\?/], [8, /Unknown key "Keepalive"/]],
  'unknown-section.conf': [[4, /Unknown section \[Peers\]/]],
};

describe('the broken corpus', () => {
  it('has an expectation for every broken file', () => {
    assert.deepEqual(invalid.map((f) => f.name), Object.keys(expectedErrors).sort());
  });
  for (const { name, text } of invalid) {
    it(`flags ${name} at the expected lines`, () => {
      const errs = validateConfig(parseConfig(text)).filter((d) => d.severity === 'error');
      const expected = expectedErrors[name] ?? [];
      assert.deepEqual(errs.map((d) => d.line), expected.map(([line]) => line));
      errs.forEach((d, i) => assert.match(d.message, expected[i]?.[1] ?? /^$/));
    });
  }
});

it('finds the fixtures next to the sources', () => {
  assert.ok(existsSync(join(corpusDir(), 'single-peer.conf')));
});
