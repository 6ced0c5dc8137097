// Small desktop services app-core asks for: file dialogs, clipboard,
// notifications and start-at-login (Linux uses an XDG autostart entry).
import { app, clipboard, dialog, Notification, type BrowserWindow } from 'electron';
import type { AppPorts } from '../app-core/ports.js';
import { setLinuxAutostart } from '../app-core/settings/autostart-linux.js';

export function desktopPorts(getWindow: () => BrowserWindow | null, icon: string): Pick<AppPorts, 'dialogs' | 'clipboard' | 'notifier' | 'autostart'> {
  const parent = () => getWindow() ?? undefined;
  return {
    dialogs: {
      async saveFile(title, defaultName, filters) {
        const opts = { title, defaultPath: defaultName, filters: filters.map((f) => ({ name: f.name, extensions: [...f.extensions] })) };
        const win = parent();
        const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
        return r.canceled || !r.filePath ? null : r.filePath;
      },
    },
    clipboard: { writeText: (text) => clipboard.writeText(text) },
    notifier: {
      show(spec) {
        if (Notification.isSupported()) new Notification({ title: spec.title, body: spec.body, urgency: spec.urgency, icon }).show();
      },
    },
    autostart: {
      set(enabled, hidden) {
        if (process.platform === 'linux') setLinuxAutostart(app.getPath('appData'), enabled, process.execPath, hidden);
        else app.setLoginItemSettings({ openAtLogin: enabled, args: hidden ? ['--hidden'] : [] });
      },
    },
  };
}
