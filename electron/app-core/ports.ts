// What app-core needs from the outside world. Electron implements these in
// electron/adapters/; the e2e bridge and unit tests implement them in Node.
import type { EmitEvent } from '../../shared/ipc/schema.js';
import type { AppInfo } from '../../shared/ipc/types.js';
import type { HelperLauncher } from './helper/helper-connection.js';
import type { SecretBox } from './profiles/secret-box.js';
import type { NotificationSpec } from './tray/notification-model.js';

export interface FileFilter {
  readonly name: string;
  readonly extensions: readonly string[];
}

export interface Dialogs {
  /** Path to save to, or null if cancelled. */
  saveFile(title: string, defaultName: string, filters: readonly FileFilter[]): Promise<string | null>;
}

export interface AppPorts {
  readonly userDataDir: string;
  readonly appInfo: AppInfo;
  readonly secretBox: SecretBox;
  readonly launcher: HelperLauncher;
  readonly dialogs: Dialogs;
  readonly clipboard: { writeText(text: string): void };
  readonly notifier: { show(spec: NotificationSpec): void };
  readonly autostart: { set(enabled: boolean, hidden: boolean): void };
  readonly emit: EmitEvent;
  readonly showWindow: () => void;
  readonly quit: () => void;
  readonly now?: () => number;
}
