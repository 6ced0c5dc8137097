// `wiredesk`: WireDesk's command line. Each subcommand returns an exit code;
// any unexpected failure becomes one line on stderr, never a stack trace.
import { check, strip } from './config-commands.js';
import { demo } from './demo-command.js';
import { down } from './down-command.js';
import { exec } from './exec-command.js';
import { genkey, genpsk, pubkey } from './keys-commands.js';
import { show } from './show-command.js';
import { up } from './up-command.js';
import { prepareEngine } from '../helper/netconfig/index.js';
import type { SpareProcess } from '../helper/netconfig/spare-process.js';

const USAGE = `Usage: wiredesk <command> [arguments]

Tunnels (as root, like wg-quick; CONF is IFNAME.conf or a bare IFNAME):
  up CONF [--allow-scripts] [--kill-switch=off|on|allow-lan] [--exclude-lan] [--split-dns=DOMAIN,...]
                  --exclude-lan: the subnets of the links you are on bypass the tunnel
                  --split-dns: only names under DOMAIN go to the config's DNS servers
  down CONF|IFNAME [--allow-scripts]
  show [IFNAME]   status of userspace WireGuard interfaces, as \`wg show\` prints it

Per-app routing (as root through sudo or pkexec; CMD runs as the user who asked):
  exec --outside -- CMD [ARGS...]      CMD and its children bypass every tunnel
  exec --tunnel NAME -- CMD [ARGS...]  CMD and its children use only tunnel NAME

Config tools:
  check FILE...   validate wg-quick .conf files; prints FILE:LINE: error|warning: message
  strip FILE      print the config in \`wg setconf\` form, as \`wg-quick strip\` does

Try WireGuard:
  demo [HOST[:PORT]]  get a test tunnel from a WireGuard demo server (default
                  demo.wireguard.com:42912; [IPv6]:PORT too) and print its .conf:
                  (umask 077; wiredesk demo > demo.conf) && sudo wiredesk up ./demo.conf

Keys (same input and output as wg):
  genkey          print a new private key
  pubkey          read a private key on stdin, print its public key
  genpsk          print a new preshared key
`;

type Command = (args: string[]) => number | Promise<number>;

const commands: Record<string, Command> = {
  check,
  strip,
  demo,
  up,
  down,
  exec,
  show,
  genkey: () => genkey(),
  pubkey: () => pubkey(),
  genpsk: () => genpsk(),
};

/** `early`: the engine the launcher started for `up` before loading this (netconfig/spare-process.ts). */
export async function main(argv: string[], early: SpareProcess | null = null): Promise<void> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    process.exitCode = name === undefined ? 2 : 0;
    return;
  }
  const command = commands[name];
  // `up` needs an engine process: the launcher's, else one that starts loading
  // now, on the other core, while up reads the config and plans (netconfig/spare-engine.ts).
  if (name === 'up' && process.getuid?.() === 0) prepareEngine(undefined, early);
  if (!command) {
    process.stderr.write(`wiredesk: unknown command '${name}'.\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  try {
    process.exitCode = await command(args);
  } catch (e) {
    process.stderr.write(`wiredesk ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  }
}
