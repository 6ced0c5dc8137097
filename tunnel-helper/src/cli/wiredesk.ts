// `wiredesk`: WireDesk's command line. Each subcommand returns an exit code;
// any unexpected failure becomes one line on stderr, never a stack trace.
import { check, strip } from './config-commands.js';
import { demo } from './demo-command.js';
import { down } from './down-command.js';
import { genkey, genpsk, pubkey } from './keys-commands.js';
import { show } from './show-command.js';
import { up } from './up-command.js';
import { prepareEngine } from '../helper/netconfig/index.js';

const USAGE = `Usage: wiredesk <command> [arguments]

Tunnels (as root, like wg-quick; CONF is IFNAME.conf or a bare IFNAME):
  up CONF [--allow-scripts] [--kill-switch=off|on|allow-lan] [--split-dns=DOMAIN,...]
                  --split-dns: only names under DOMAIN go to the config's DNS servers
  down CONF|IFNAME [--allow-scripts]
  show [IFNAME]   status of userspace WireGuard interfaces, as \`wg show\` prints it

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
  show,
  genkey: () => genkey(),
  pubkey: () => pubkey(),
  genpsk: () => genpsk(),
};

export async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    process.exitCode = name === undefined ? 2 : 0;
    return;
  }
  const command = commands[name];
  // `up` needs an engine process: it starts loading now, on the other core,
  // while up reads the config and plans (netconfig/spare-engine.ts).
  if (name === 'up' && process.getuid?.() === 0) prepareEngine();
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
