// Create and edit. Diagnostics come from the config library as you type and
// sit at their lines; the public key follows the private key live; Save is
// blocked while any error remains (main checks again). The private key lives
// in this component's state only and goes when the editor closes.
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import {
  generatePrivateKey, isValidInterfaceName, lastEntry, parseConfig, parseIp, publicKeyFromPrivate, serializeConfig, setInterfaceValue, validateConfig,
  type ExcludePrivateRecord, type ParsedConfig,
} from '../../../shared/config/index.js';
import { Icon } from '../../components/icons.js';
import { useI18n } from '../../lib/i18n/i18n.js';
import { ipc, messageOf } from '../../lib/ipc.js';
import { ConfigEditor, jumpToLine } from './config-editor.js';
import { ExcludePrivateToggle } from './exclude-private-toggle.js';
import { MtuAdvisor } from './mtu-advisor.js';
import { SplitDnsField } from '../split-dns/split-dns-field.js';

export function newTunnelTemplate(): string {
  return `[Interface]\nPrivateKey = ${generatePrivateKey()}\nAddress = 10.0.0.2/32\nDNS = 1.1.1.1\n\n[Peer]\nPublicKey = \nAllowedIPs = 0.0.0.0/0, ::/0\nEndpoint = \n`;
}

function publicKeyOf(parsed: ParsedConfig): string | null {
  const key = lastEntry(parsed.interface, 'PrivateKey')?.value;
  try {
    return key ? publicKeyFromPrivate(key) : null;
  } catch {
    return null;
  }
}

export function EditorView(props: { original: string | null; onClose: () => void; onSaved: (name: string) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(props.original ?? '');
  const [text, setText] = useState<string | null>(props.original ? null : newTunnelTemplate);
  const [message, setMessage] = useState<string | null>(null);
  const [record, setRecord] = useState<ExcludePrivateRecord | null | undefined>(undefined);
  const keepRecord = useCallback((r: ExcludePrivateRecord | null) => setRecord(r), []);
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (props.original) void ipc.invoke('tunnels:readConfig', props.original).then(setText, (e: unknown) => setMessage(messageOf(e)));
  }, [props.original]);

  const deferred = useDeferredValue(text ?? '');
  const parsed = useMemo(() => parseConfig(deferred), [deferred]);
  const diagnostics = useMemo(() => validateConfig(parsed), [parsed]);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const publicKey = useMemo(() => publicKeyOf(parsed), [parsed]);
  const mtu = useMemo(() => Number(lastEntry(parsed.interface, 'MTU')?.value) || undefined, [parsed]);
  const nameOk = isValidInterfaceName(name);
  // null while the split DNS box has an error; saved with the tunnel, in WireDesk's profile.
  const [splitDns, setSplitDns] = useState<string[] | null>([]);
  const hasDnsServers = useMemo(() => (parsed.interface?.entries ?? [])
    .some((e) => e.name === 'DNS' && e.value.split(',').some((v) => parseIp(v.trim()) !== null)), [parsed]);
  const edit = (f: Parameters<typeof setInterfaceValue>[1], v: string) => text !== null && setText(serializeConfig(setInterfaceValue(parseConfig(text), f, v)));

  const save = async () => {
    if (text === null) return;
    const r = await ipc.invoke('tunnels:save', props.original, name, text).catch((e: unknown) => ({ ok: false as const, message: messageOf(e) }));
    if (!r.ok) { setMessage(r.message); return; }
    try {
      if (record !== undefined) await ipc.invoke('tunnels:setExcludePrivateRecord', r.name, record);
      await ipc.invoke('splitdns:set', r.name, splitDns ?? []);
    } catch (e) {
      setMessage(messageOf(e));
      return;
    }
    props.onSaved(r.name);
  };

  return (
    <article className="editor-view" aria-labelledby="editor-title" data-testid="editor-view">
      <header className="detail__head">
        <div className="detail__title">
          <button type="button" className="btn btn--ghost btn--icon" aria-label={t.back} onClick={props.onClose}><Icon name="back" /></button>
          <h1 tabIndex={-1} id="editor-title">{props.original ? t.editorTitleEdit(props.original) : t.editorTitleNew}</h1>
        </div>
        <div className="detail__actions">
          <button type="button" className="btn" onClick={props.onClose}>{t.cancel}</button>
          <button type="button" className="btn btn--primary" disabled={errors > 0 || !nameOk || text === null || splitDns === null} onClick={() => void save()} data-testid="editor-save">
            {errors > 0 ? t.saveBlocked(errors) : t.save}
          </button>
        </div>
      </header>
      <div className="editor-view__body">
        <div className="stack editor-view__main">
          <label className="field">
            <span>{t.name}</span>
            <input value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!nameOk} aria-describedby="name-hint" maxLength={15} data-testid="editor-name" />
            <small id="name-hint" className={nameOk || name === '' ? 'muted' : 'error-text'}>{nameOk || name === '' ? t.nameHint : t.nameInvalid}</small>
          </label>
          <div className="field">
            <span>{t.publicKeyLive}</span>
            <div className="props__key">
              <code className="mono" data-testid="editor-public-key">{publicKey ?? '—'}</code>
              <button type="button" className="btn btn--small" onClick={() => edit('PrivateKey', generatePrivateKey())}><Icon name="key" size={14} />{t.generateKey}</button>
            </div>
          </div>
          {text !== null && <ConfigEditor text={text} diagnostics={diagnostics} label={t.configuration} describedBy="problems" onChange={setText} inputRef={input} />}
          {message && <p className="banner banner--error" role="alert">{message}</p>}
          <section id="problems" className="problems" aria-label={t.problems} aria-live="polite" data-testid="editor-problems">
            {diagnostics.length === 0 ? <p className="muted">{t.noProblems}</p> : (
              <ul>
                {diagnostics.map((d, i) => (
                  <li key={i} className={`problem problem--${d.severity}`} data-line={d.line} data-severity={d.severity}>
                    <button type="button" className="problem__go" onClick={() => input.current && jumpToLine(input.current, d.line)}
                      title={t.a11y.jumpToLine(d.line)} data-testid="problem-go">
                      <span className="problem__where">{t.lineLabel(d.line)}</span>
                      <span className="problem__sev">{t.severity[d.severity]}</span>
                      <span className="problem__msg">{d.message}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
        <aside className="stack editor-view__side">
          <SplitDnsField original={props.original} hasDnsServers={hasDnsServers} onChange={setSplitDns} />
          <MtuAdvisor current={mtu} onApply={(v) => edit('MTU', String(v))} />
          {text !== null && <ExcludePrivateToggle original={props.original} text={text} record={record} onText={setText} onRecord={keepRecord} />}
        </aside>
      </div>
    </article>
  );
}
