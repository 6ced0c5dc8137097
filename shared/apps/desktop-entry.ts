// Desktop entries (freedesktop.org Desktop Entry Specification 1.5): the
// launchable apps of a Linux desktop, as the split-tunneling lists show and
// start them. Pure: the app lists entries with it, and the root helper
// re-reads the entry it is asked to launch with the same parser.
//
// Only what launching needs: Type=Application entries of the [Desktop Entry]
// group, their Name (localized when asked), Exec split into an argv as the
// spec says (string escapes first, then quoting), Icon, NoDisplay, Hidden and
// Terminal. Field codes are dropped (%f %F %u %U: we open no files) or
// expanded (%i, %c); %k is dropped because the helper never hands a path on.

export interface DesktopEntry {
  /** The desktop file ID, e.g. `org.mozilla.firefox.desktop`. */
  id: string;
  name: string;
  /** Exec split into arguments, field codes removed; never empty. */
  argv: string[];
  icon: string | null;
  /** NoDisplay=true: installed, but not meant for menus. */
  noDisplay: boolean;
  /** Terminal=true: a console program. */
  terminal: boolean;
}

/** A desktop file ID: a file name only (no `/`), ending in `.desktop`. */
export const DESKTOP_ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._+-]{0,200}\.desktop$/;

export function isDesktopId(id: string): boolean {
  return DESKTOP_ID_PATTERN.test(id) && !id.includes('..');
}

/**
 * Parses one .desktop file. Returns null when it is not a launchable
 * application: another Type, Hidden=true (deleted), no Name, no usable Exec.
 * `locale` picks Name[ll_CC] / Name[ll] when present.
 */
export function parseDesktopEntry(id: string, text: string, locale = ''): DesktopEntry | null {
  const keys = desktopEntryGroup(text);
  if (keys === null) return null;
  if (keys.get('Type') !== 'Application' || keys.get('Hidden') === 'true') return null;
  const name = localized(keys, 'Name', locale);
  const exec = keys.get('Exec');
  if (!name || !exec) return null;
  const icon = keys.get('Icon') ?? null;
  const argv = execArgv(exec, { name, icon });
  if (argv === null || argv.length === 0) return null;
  return { id, name, argv, icon: icon || null, noDisplay: keys.get('NoDisplay') === 'true', terminal: keys.get('Terminal') === 'true' };
}

/** The key/value pairs of the [Desktop Entry] group (values unescaped), or null without one. */
function desktopEntryGroup(text: string): Map<string, string> | null {
  let inGroup = false;
  let found = false;
  const keys = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      inGroup = line === '[Desktop Entry]';
      found ||= inGroup;
      continue;
    }
    const eq = line.indexOf('=');
    if (!inGroup || eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    // The first occurrence wins; a duplicate key is an error the spec lets us ignore.
    if (!keys.has(key)) keys.set(key, line.slice(eq + 1).trim());
  }
  return found ? keys : null;
}

function localized(keys: Map<string, string>, key: string, locale: string): string | undefined {
  const m = /^([a-z]{2,3})(?:_([A-Z]{2}))?/.exec(locale);
  const candidates = m ? [m[2] ? `${key}[${m[1]}_${m[2]}]` : '', `${key}[${m[1]}]`] : [];
  for (const c of candidates) {
    const v = c ? keys.get(c) : undefined;
    if (v) return unescapeString(v);
  }
  const v = keys.get(key);
  return v === undefined ? undefined : unescapeString(v);
}

/** The spec's escapes for string values: \s \n \t \r \\. */
export function unescapeString(value: string): string {
  return value.replace(/\\([sntr\\])/g, (_m, c: string) => ({ s: ' ', n: '\n', t: '\t', r: '\r', '\\': '\\' })[c] ?? c);
}

/**
 * Exec split into arguments: string escapes, then double quotes (inside
 * them \" \` \$ \\ are escapes), then field codes. Null when the quoting is
 * broken (an unterminated quote), which the spec calls invalid.
 */
export function execArgv(exec: string, entry: { name: string; icon: string | null }): string[] | null {
  const words = splitQuoted(unescapeString(exec));
  if (words === null) return null;
  const out: string[] = [];
  for (const { text, quoted } of words) {
    if (!quoted && text === '%i') {
      if (entry.icon) out.push('--icon', entry.icon);
      continue;
    }
    if (!quoted && /^%[fFuUdDnNvmk]$/.test(text)) continue;
    // Inside a word: %c is the name, %% a percent sign, any other code is dropped.
    const expanded = quoted ? text : text.replace(/%(.)/g, (_m, c: string) => (c === '%' ? '%' : c === 'c' ? entry.name : ''));
    if (expanded !== '' || quoted) out.push(expanded);
  }
  return out;
}

function splitQuoted(s: string): { text: string; quoted: boolean }[] | null {
  const words: { text: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
    if (i >= s.length) break;
    if (s[i] === '"') {
      let text = '';
      i++;
      for (;;) {
        if (i >= s.length) return null;
        const c = s[i]!;
        if (c === '"') { i++; break; }
        if (c === '\\' && i + 1 < s.length && '"`$\\'.includes(s[i + 1]!)) { text += s[i + 1]; i += 2; continue; }
        text += c;
        i++;
      }
      words.push({ text, quoted: true });
    } else {
      let text = '';
      while (i < s.length && s[i] !== ' ' && s[i] !== '\t') text += s[i++];
      words.push({ text, quoted: false });
    }
  }
  return words;
}

/**
 * The XDG data directories whose `applications/` hold desktop entries, the
 * user's own first (it overrides the system's): $XDG_DATA_HOME (default
 * ~/.local/share), the flatpak exports, then $XDG_DATA_DIRS (default
 * /usr/local/share:/usr/share).
 */
export function applicationDirs(home: string, env: { XDG_DATA_HOME?: string; XDG_DATA_DIRS?: string } = {}): string[] {
  const dataHome = env.XDG_DATA_HOME?.startsWith('/') ? env.XDG_DATA_HOME : `${home}/.local/share`;
  const system = (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':').filter((d) => d.startsWith('/'));
  const dirs = [dataHome, `${home}/.local/share/flatpak/exports/share`, '/var/lib/flatpak/exports/share', ...system];
  return [...new Set(dirs.map((d) => `${d.replace(/\/+$/, '')}/applications`))];
}
