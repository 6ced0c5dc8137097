// English text for the routing options (en.ts holds it under `routing`).
export const routingEn = {
  lanTitle: 'Local network',
  excludeLan: 'Exclude the network I\u2019m on',
  excludeLanHint: 'The subnets you are connected to (printer, NAS, router page) bypass the tunnel, even a full one. They follow the network when it changes. Nothing is written to the .conf.',
  lanNow: 'Bypassing the tunnel now',
  lanNone: 'No local subnet right now.',
  lanWhenOn: 'Applies whenever this tunnel is on.',
  killSwitchBlocks: 'The kill switch blocks the local network. Turn on \u201cAllow local network (LAN) access with the kill switch\u201d in Settings to reach it.',
  excludePrivate: 'Exclude private IPs',
  excludePrivateHint: 'Sends everything except private, link-local, CGNAT, unique-local and multicast ranges through the tunnel, by rewriting AllowedIPs; the tunnel\u2019s own addresses and DNS servers stay in. The .conf works in other WireGuard apps as it is.',
  excludePrivateUnavailable: 'Available when a peer\u2019s AllowedIPs include 0.0.0.0/0 or ::/0.',
  excludePrivateRestore: 'Turning it off restores the AllowedIPs you had.',
  trayExcludeLan: (name: string) => `${name}: exclude the network I\u2019m on`,
};
