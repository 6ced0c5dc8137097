import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig, stripConfig } from '../../../../shared/config/index.js';
import { A, B } from './helpers.js';

const strip = (text: string) => stripConfig(parseConfig(text));

describe('stripConfig: the wg setconf form, as wg-quick strip prints it', () => {
  it('removes the nine wg-quick keys from [Interface] and keeps the rest', () => {
    const text = [
      '[Interface]',
      `PrivateKey = ${A.priv}`,
      'Address = 10.0.0.2/24',
      'DNS = 10.0.0.1',
      'MTU = 1420',
      'Table = off',
      'PreUp = true',
      'PostUp = true',
      'PreDown = true',
      'PostDown = true',
      'SaveConfig = false',
      'ListenPort = 51820',
      '',
      '[Peer]',
      `PublicKey = ${B.pub}`,
      'AllowedIPs = 10.0.0.0/24',
      '',
    ].join('\n');
    assert.equal(strip(text), `[Interface]\nPrivateKey = ${A.priv}\nListenPort = 51820\n\n[Peer]\nPublicKey = ${B.pub}\nAllowedIPs = 10.0.0.0/24\n\n`);
  });

  it('keeps comments and blank lines, trims outer spaces and tabs, and ends with an extra newline', () => {
    const text = `# header\n\n  [Interface] # me\n\tPrivateKey = ${A.priv}   # key\naddress = 10.0.0.2/24 # dropped with its comment\n`;
    assert.equal(strip(text), `# header\n\n[Interface] # me\nPrivateKey = ${A.priv}   # key\n\n`);
  });

  it('matches keys and the [Interface] header case-insensitively', () => {
    const text = `[INTERFACE]\nPRIVATEKEY = ${A.priv}\nmtu = 1280\nPostup = x\n`;
    assert.equal(strip(text), `[INTERFACE]\nPRIVATEKEY = ${A.priv}\n\n`);
  });

  it('keeps the CR of CRLF lines, as bash read does', () => {
    const text = `[Interface]\r\nPrivateKey = ${A.priv}  \r\nDNS = 1.1.1.1\r\n`;
    assert.equal(strip(text), `[Interface]\r\nPrivateKey = ${A.priv}  \r\n\n`);
  });

  it('leaves wg-quick keys outside [Interface] alone, as wg-quick does', () => {
    const text = `[Peer]\nPublicKey = ${B.pub}\nDNS = 1.1.1.1\n[Interface]\nDNS = 1.1.1.1\n`;
    assert.equal(strip(text), `[Peer]\nPublicKey = ${B.pub}\nDNS = 1.1.1.1\n[Interface]\n\n`);
  });

  it('does not treat [ Interface ] with spaces as the interface, as wg-quick does not', () => {
    assert.equal(strip('[ Interface ]\nAddress = 10.0.0.2/24\n'), '[ Interface ]\nAddress = 10.0.0.2/24\n\n');
  });

  it('keeps a last line without a newline, but drops one that is only whitespace', () => {
    assert.equal(strip(`[Peer]\nPublicKey = ${B.pub}`), `[Peer]\nPublicKey = ${B.pub}\n\n`);
    assert.equal(strip('[Peer]\n   '), '[Peer]\n\n');
    assert.equal(strip('[Peer]\n\n'), '[Peer]\n\n\n');
  });

  it('prints a single newline for an empty file, like echo ""', () => {
    assert.equal(strip(''), '\n');
  });

  it('drops a UTF-8 BOM (wg would reject the first line otherwise)', () => {
    assert.equal(strip(`\uFEFF[Interface]\nPrivateKey = ${A.priv}\nAddress = 10.0.0.2/24\n`), `[Interface]\nPrivateKey = ${A.priv}\n\n`);
  });

  it("drops other clients' keys from [Interface], which wg would reject", () => {
    assert.equal(strip('[Interface]\nExcludedApplications = com.example\nListenPort = 1\n'), '[Interface]\nListenPort = 1\n\n');
  });

  it('drops a hook line whole, "#" and all', () => {
    assert.equal(strip('[Interface]\nPostUp = echo a # b = c\nListenPort = 1\n'), '[Interface]\nListenPort = 1\n\n');
  });
});
