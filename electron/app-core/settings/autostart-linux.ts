// Start at login on Linux: an XDG autostart entry (Electron's login-item API
// covers only macOS and Windows).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function autostartEntry(exec: string, hidden: boolean): string {
  const quoted = `"${exec.replace(/(["`$\\])/g, '\\$1')}"`;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=WireDesk',
    'Comment=WireGuard tunnels in the tray',
    `Exec=${quoted}${hidden ? ' --hidden' : ''}`,
    'Icon=wiredesk',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function setLinuxAutostart(configDir: string, enabled: boolean, exec: string, hidden: boolean): void {
  const dir = join(configDir, 'autostart');
  const file = join(dir, 'wiredesk.desktop');
  if (!enabled) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, autostartEntry(exec, hidden));
}
