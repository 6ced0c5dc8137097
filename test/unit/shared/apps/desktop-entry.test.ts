// Desktop entries as the Desktop Entry Specification defines them: which
// files are launchable apps, and how Exec becomes an argv.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applicationDirs, execArgv, isDesktopId, parseDesktopEntry } from '../../../../shared/apps/desktop-entry.js';

const entry = (body: string) => `# comment\n[Desktop Entry]\n${body}\n[Desktop Action new]\nName=New Window\nExec=other --new\n`;

describe('desktop entries', () => {
  it('reads Name, Exec, Icon, NoDisplay and Terminal of an application', () => {
    const e = parseDesktopEntry('firefox.desktop', entry('Type=Application\nName=Firefox\nName[ja]=ファイアフォックス\nExec=/usr/lib/firefox/firefox %u\nIcon=firefox\nTerminal=false'));
    assert.deepEqual(e, { id: 'firefox.desktop', name: 'Firefox', argv: ['/usr/lib/firefox/firefox'], icon: 'firefox', noDisplay: false, terminal: false });
    assert.equal(parseDesktopEntry('firefox.desktop', entry('Type=Application\nName=Firefox\nName[ja]=ファイアフォックス\nExec=firefox'), 'ja_JP.UTF-8')?.name, 'ファイアフォックス');
    assert.equal(parseDesktopEntry('a.desktop', entry('Type=Application\nName=A\nExec=a\nNoDisplay=true'))?.noDisplay, true);
    assert.equal(parseDesktopEntry('a.desktop', entry('Type=Application\nName=A\nExec=a\nName=B'))?.name, 'A', 'the first of a repeated key');
  });

  it('is null for what is not a launchable application', () => {
    for (const body of ['Type=Link\nName=A\nURL=http://x', 'Type=Application\nName=A\nExec=a\nHidden=true', 'Type=Application\nExec=a',
      'Type=Application\nName=A', 'Type=Application\nName=A\nExec="unterminated', 'Type=Application\nName=A\nExec=%F']) {
      assert.equal(parseDesktopEntry('a.desktop', entry(body)), null, body);
    }
    assert.equal(parseDesktopEntry('a.desktop', '[Other]\nType=Application\nName=A\nExec=a'), null, 'no [Desktop Entry] group');
    assert.equal(parseDesktopEntry('a.desktop', ''), null);
  });

  it('splits Exec as the spec quotes it, and drops or expands field codes', () => {
    const app = { name: 'My App', icon: 'my-icon' };
    const table: [string, string[]][] = [
      ['gimp-2.10 %U', ['gimp-2.10']],
      ['code --new-window %F', ['code', '--new-window']],
      ['"/opt/My App/run" --flag', ['/opt/My App/run', '--flag']],
      ['sh -c "echo \\\\"hi\\\\" \\\\$HOME"', ['sh', '-c', 'echo "hi" $HOME']],
      ['app %i %c', ['app', '--icon', 'my-icon', 'My App']],
      ['app --title=%c --pct=100%%', ['app', '--title=My App', '--pct=100%']],
      ['app %f %u %d %D %n %N %v %m %k', ['app']],
      ['app\\sname arg', ['app', 'name', 'arg']], // \s is unescaped before quoting: a literal space must be quoted
      ['  spaced   out  ', ['spaced', 'out']],
      ['app ""', ['app', '']],
    ];
    for (const [exec, argv] of table) assert.deepEqual(execArgv(exec, app), argv, exec);
    assert.deepEqual(execArgv('app %i', { name: 'x', icon: null }), ['app'], '%i without an icon is dropped');
  });

  it('accepts only plain desktop file IDs', () => {
    for (const id of ['firefox.desktop', 'org.gnome.Terminal.desktop', 'code-url-handler.desktop', 'a_b+c.desktop']) assert.ok(isDesktopId(id), id);
    for (const id of ['../etc/passwd.desktop', 'a/b.desktop', '.hidden.desktop', 'firefox', 'a..b.desktop', '', 'x.desktop\n']) assert.ok(!isDesktopId(id), id);
  });

  it('looks in the user\'s data home first, then flatpak, then the system dirs', () => {
    assert.deepEqual(applicationDirs('/home/ann'), [
      '/home/ann/.local/share/applications', '/home/ann/.local/share/flatpak/exports/share/applications',
      '/var/lib/flatpak/exports/share/applications', '/usr/local/share/applications', '/usr/share/applications',
    ]);
    assert.deepEqual(applicationDirs('/home/ann', { XDG_DATA_HOME: '/data', XDG_DATA_DIRS: '/opt/share:relative:/usr/share/' }).slice(0, 1), ['/data/applications']);
    assert.ok(!applicationDirs('/home/ann', { XDG_DATA_DIRS: 'relative' }).some((d) => d.startsWith('relative')));
  });
});
