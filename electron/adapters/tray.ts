// Draws app-core's tray model with Electron's Tray and Menu. The menu is
// rebuilt only when its items change; the tooltip follows the rates every second.
import { Menu, Tray, nativeImage, nativeTheme, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import type { AppCore } from '../app-core/app-core.js';
import type { TrayMenuItem, TrayModel } from '../app-core/tray/tray-model.js';

export function createTray(core: AppCore, assetsDir: string): Tray {
  // Dark panels get the light glyph ("dark" variant) and vice versa.
  const iconPath = (m: TrayModel) => join(assetsDir, 'tray', `${m.icon}-${nativeTheme.shouldUseDarkColors ? 'dark' : 'light'}.png`);
  let model = core.tray();
  const tray = new Tray(nativeImage.createFromPath(iconPath(model)));
  let menuKey = '';

  const toTemplate = (items: readonly TrayMenuItem[]): MenuItemConstructorOptions[] => items.map((item) => ({
    id: item.id,
    type: item.type,
    ...(item.label !== undefined ? { label: item.label } : {}),
    ...(item.checked !== undefined ? { checked: item.checked } : {}),
    ...(item.enabled !== undefined ? { enabled: item.enabled } : {}),
    ...(item.submenu ? { submenu: toTemplate(item.submenu) } : {}),
    ...(item.action ? { click: () => void core.runTrayAction(item.action!) } : {}),
  }));

  const draw = (next: TrayModel) => {
    model = next;
    tray.setImage(nativeImage.createFromPath(iconPath(model)));
    tray.setToolTip(model.tooltip);
    const key = JSON.stringify(model.items);
    if (key !== menuKey) {
      menuKey = key;
      tray.setContextMenu(Menu.buildFromTemplate(toTemplate(model.items)));
    }
  };
  draw(model);
  core.onTrayChange(draw);
  nativeTheme.on('updated', () => draw(model));
  tray.on('click', () => void core.runTrayAction({ kind: 'manage' }));
  return tray;
}
