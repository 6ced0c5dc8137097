// The root shell scripts that install and uninstall the helper. They run as
// root through one authorization (sudo-prompt → pkexec → /bin/bash) or from the
// .deb's maintainer scripts, and use only root's own tools (sh, cp, find, mv):
// nothing of the user's runs as root, only the user's files are copied.
//
// Install, in order:
//   1. stage a fresh copy of the runtime and HELPER_TREE in a root-owned
//      temporary directory beside the prefix, owned by root, 0755/0644;
//   2. write the launcher and the uninstaller into it;
//   3. hand running tunnels over: SIGUSR2 makes a running helper exit and leave
//      its engines to be adopted (an update must not drop the user's tunnels);
//   4. swap the stage into place, put the polkit action and the unit template
//      where polkitd and systemd read them;
//   5. start the helper for the user (the launcher's --start: the systemd
//      instance where systemd runs, a daemon otherwise).
import { dirname, basename, join } from 'node:path';
import {
  HELPER_ENTRY, HELPER_PID_FILE, HELPER_TREE, SYSTEM_FILES, helperLayout, type HelperLayout,
} from './layout.js';
import { shellQuote as q } from './root-only-files.js';

export interface InstallSource {
  /** The app's root: the dev checkout, or resources/app in a package. */
  readonly appRoot: string;
  /** The runtime binary that runs the helper: Electron's (as Node), the app's own executable. */
  readonly runtime: string;
}

/** Environment root's side gives the helper: Electron's binary runs as Node only with ELECTRON_RUN_AS_NODE=1. */
const HELPER_ENV = 'ELECTRON_RUN_AS_NODE=1 PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8';

/** The one launcher. pkexec and systemd pass none of the caller's environment, so it is set here. */
export function launcherScript(runtimeName: string, layout: HelperLayout = helperLayout()): string {
  return [
    '#!/bin/sh',
    "# WireDesk's privileged helper, run on the runtime installed beside it.",
    `exec /usr/bin/env -i ${HELPER_ENV} ${q(join(layout.runtimeDir, runtimeName))} ${q(join(layout.appRoot, HELPER_ENTRY))} "$@"`,
    '',
  ].join('\n');
}

/** Asks a running helper to leave its tunnels to the next one, and waits until it has gone. */
const handOverRunningHelper = [
  `pid=$(cat ${q(HELPER_PID_FILE)} 2>/dev/null || true)`,
  'if [ -n "$pid" ] && grep -qs wiredesk-helper "/proc/$pid/cmdline"; then',
  '  kill -USR2 "$pid" 2>/dev/null || true',
  '  n=0; while [ -d "/proc/$pid" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done',
  'fi',
];

/** Removes what installScript added. Stopping the helper turns its tunnels off first. */
export function uninstallScript(layout: HelperLayout = helperLayout()): string {
  return [
    '#!/bin/sh',
    '# Removes the WireDesk helper and everything its installer added.',
    'set -u',
    `pid=$(cat ${q(HELPER_PID_FILE)} 2>/dev/null || true)`,
    'if [ -d /run/systemd/system ]; then',
    '  for unit in $(systemctl list-units --plain --no-legend "wiredesk-helper@*" 2>/dev/null | cut -d" " -f1); do',
    '    systemctl disable --now "$unit" >/dev/null 2>&1 || true',
    '  done',
    'fi',
    'if [ -n "$pid" ] && grep -qs wiredesk-helper "/proc/$pid/cmdline"; then',
    '  kill -TERM "$pid" 2>/dev/null || true',
    '  n=0; while [ -d "/proc/$pid" ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done',
    'fi',
    'rm -f /etc/systemd/system/multi-user.target.wants/wiredesk-helper@*.service',
    ...SYSTEM_FILES.map((f) => `rm -f ${q(f.to)}`),
    'if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1; fi',
    `rm -rf ${q(layout.prefix)}`,
    'exit 0',
    '',
  ].join('\n');
}

export interface InstallOptions {
  /** Start the helper for this uid once installed; the .deb installs without starting. */
  readonly startForUid?: number;
}

export function installScript(src: InstallSource, o: InstallOptions = {}, layout: HelperLayout = helperLayout()): string {
  if (o.startForUid !== undefined && (!Number.isInteger(o.startForUid) || o.startForUid < 0)) throw new Error(`invalid uid ${o.startForUid}`);
  const stage = '"$stage"';
  return [
    'set -eu',
    'umask 022',
    `src_app=${q(src.appRoot)}`,
    `src_runtime=${q(dirname(src.runtime))}`,
    `mkdir -p ${q(dirname(layout.prefix))}`,
    `stage=$(mktemp -d ${q(`${layout.prefix}.new.XXXXXX`)})`,
    'trap \'rm -rf "$stage"\' EXIT',
    `mkdir -p ${stage}/bin ${stage}/runtime ${stage}/app`,
    // The runtime: the binary and the libraries and data files it loads from
    // its own directory; not the app, locales, or Chromium's setuid sandbox.
    `find "$src_runtime" -maxdepth 1 -type f ! -name chrome-sandbox -exec cp -L {} ${stage}/runtime/ \\;`,
    `for p in ${HELPER_TREE.map(q).join(' ')}; do`,
    `  mkdir -p ${stage}/app/"$(dirname "$p")"`,
    `  cp -RL "$src_app/$p" ${stage}/app/"$p"`,
    'done',
    `find ${stage}/app -name '*.map' -delete`,
    `chmod -R go-w,a+rX ${stage}`,
    `cat > ${stage}/bin/wiredesk-helper <<'WIREDESK_EOF'\n${launcherScript(basename(src.runtime), layout)}WIREDESK_EOF`,
    `cat > ${stage}/uninstall <<'WIREDESK_EOF'\n${uninstallScript(layout)}WIREDESK_EOF`,
    `chmod 0755 ${stage} ${stage}/bin/wiredesk-helper ${stage}/uninstall`,
    ...SYSTEM_FILES.map((f) => `mkdir -p ${q(dirname(f.to))} && cp -L "$src_app"/${q(f.from)} ${q(`${f.to}.new`)}`),
    ...handOverRunningHelper,
    `rm -rf ${q(`${layout.prefix}.old`)}`,
    `if [ -e ${q(layout.prefix)} ]; then mv ${q(layout.prefix)} ${q(`${layout.prefix}.old`)}; fi`,
    `mv "$stage" ${q(layout.prefix)}`,
    'trap - EXIT',
    `rm -rf ${q(`${layout.prefix}.old`)}`,
    ...SYSTEM_FILES.map((f) => `chmod 0644 ${q(`${f.to}.new`)} && mv ${q(`${f.to}.new`)} ${q(f.to)}`),
    'if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi',
    ...(o.startForUid !== undefined ? [`exec ${q(layout.launcher)} --owner-uid ${o.startForUid} --start`] : []),
    '',
  ].join('\n');
}

/**
 * A command for sudo-prompt, which embeds it in `bash -c "..."` with only `"`
 * escaped, so `$`, backquotes and backslashes would still be expanded (as the
 * user, before the password prompt). The script travels base64-encoded, whose
 * alphabet means nothing to any shell.
 */
export function sudoPromptCommand(script: string): string {
  return `echo ${Buffer.from(script, 'utf8').toString('base64')} | base64 -d | /bin/sh`;
}
