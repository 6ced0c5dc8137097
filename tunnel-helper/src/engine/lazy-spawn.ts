// child_process's spawn, loaded on its first call. An engine told its name,
// and most `wiredesk up`s, spawn nothing, and loading node:child_process is
// about 8 ms of their start-up, on the connect path.
import type { spawn as nodeSpawn } from 'node:child_process';

export const spawn = ((...args: Parameters<typeof nodeSpawn>) =>
  process.getBuiltinModule('node:child_process').spawn(...args)) as typeof nodeSpawn;
