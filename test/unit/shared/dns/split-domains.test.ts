import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSplitDomainList, matchSplitDomain, normalizeSplitDomain, parseSplitDomains } from '../../../../shared/dns/split-domains.js';

describe('split DNS domains', () => {
  it('accepts names as resolved and wg-quick users write them, normalized', () => {
    const table: [string, string][] = [
      ['corp.example', 'corp.example'],
      ['~Corp.Example.', 'corp.example'],
      ['  lab  ', 'lab'],
      ['_tcp.corp.example', '_tcp.corp.example'],
      ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
      ['10.in-addr.arpa', '10.in-addr.arpa'],
    ];
    for (const [input, want] of table) assert.deepEqual(normalizeSplitDomain(input), { domain: want }, input);
  });

  it('says what is wrong with a bad name', () => {
    const table: [string, string][] = [
      ['corp..example', 'empty-label'],
      ['.corp', 'empty-label'],
      ['~.', 'root'],
      ['', 'root'],
      [`${'a'.repeat(64)}.example`, 'label-too-long'],
      [Array(64).fill('abc').join('.'), 'name-too-long'],
      ['corp example', 'bad-character'],
      ['cörp.example', 'bad-character'],
      ['-corp.example', 'hyphen-edge'],
      ['corp-.example', 'hyphen-edge'],
      ['10.0.0.1', 'numeric'],
    ];
    for (const [input, problem] of table) assert.deepEqual(normalizeSplitDomain(input), { problem }, input);
  });

  it('parses lines, commas and spaces, drops duplicates and comments, and gives the line of each error', () => {
    const r = parseSplitDomains('corp.example, lab.example\n# a note\n~CORP.example  bad..name\n\nok.test');
    assert.deepEqual(r.domains, ['corp.example', 'lab.example', 'ok.test']);
    assert.deepEqual(r.errors, [{ line: 3, text: 'bad..name', problem: 'empty-label' }]);
  });

  it('matches a name and its subdomains, never a name that only ends with the same letters', () => {
    const domains = ['corp.example', 'eu.corp.example', 'lab'];
    assert.equal(matchSplitDomain('corp.example', domains), 'corp.example');
    assert.equal(matchSplitDomain('x.corp.example', domains), 'corp.example');
    assert.equal(matchSplitDomain('db.eu.corp.example', domains), 'eu.corp.example', 'the longest domain wins');
    assert.equal(matchSplitDomain('notcorp.example', domains), null);
    assert.equal(matchSplitDomain('example', domains), null);
    assert.equal(matchSplitDomain('printer.lab', domains), 'lab');
    assert.equal(matchSplitDomain('', domains), null);
  });

  it('checks lists from other processes: normalized names only, at most 64', () => {
    assert.equal(isSplitDomainList(['corp.example']), true);
    assert.equal(isSplitDomainList(['Corp.example']), false);
    assert.equal(isSplitDomainList(['~corp.example']), false);
    assert.equal(isSplitDomainList(Array.from({ length: 65 }, (_, i) => `d${i}.example`)), false);
  });
});
