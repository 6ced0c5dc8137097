// Split DNS, in English and Japanese (en.ts and ja.ts include these as `splitDns`).
import type { SplitDomainProblem } from '../../../shared/dns/split-domains.js';

export const splitDnsEn = {
  title: 'Split DNS',
  label: 'Domains resolved by this tunnel’s DNS servers',
  placeholder: 'corp.example\nlab.internal',
  hint: 'One domain per line (or separated by commas). Names under them, such as host.corp.example, are resolved by the tunnel’s DNS servers; every other name by the system’s. Leave empty to send all DNS to the tunnel.',
  where: 'Kept in WireDesk’s profile, not in the .conf: wg-quick and other clients read domain names in “DNS =” as search domains and send every query into the tunnel, so writing them there would change what those clients do.',
  needsServers: 'Split DNS needs the tunnel’s DNS servers: add “DNS = <address>” under [Interface].',
  appliesOnSave: 'A running tunnel uses the new domains at once, without reconnecting.',
  error: (line: number, text: string, problem: SplitDomainProblem): string => `Line ${line}: “${text}” is not a domain name: ${splitProblemEn[problem]}.`,
  tooMany: (max: number) => `At most ${max} domains.`,
  detail: 'Split DNS',
  allQueries: 'Off: every query goes to the tunnel’s DNS servers',
  detailValue: (domains: readonly string[]) => `${domains.join(', ')} (the rest to the system’s DNS)`,
};

const splitProblemEn: Record<SplitDomainProblem, string> = {
  'empty-label': 'it has an empty part (two dots in a row, or a leading dot)',
  'label-too-long': 'a part between dots is longer than 63 characters',
  'name-too-long': 'it is longer than 253 characters',
  'bad-character': 'use only letters, digits, hyphens and underscores between the dots',
  'hyphen-edge': 'a part starts or ends with a hyphen',
  root: 'the root domain would send every query to the tunnel; leave the list empty for that',
  numeric: 'that is an address; DNS servers go in “DNS =” under [Interface]',
};

const splitProblemJa: Record<SplitDomainProblem, string> = {
  'empty-label': '空の部分があります（ドットが連続しているか、先頭がドットです）',
  'label-too-long': 'ドットで区切られた部分が 63 文字を超えています',
  'name-too-long': '253 文字を超えています',
  'bad-character': 'ドットの間には英字・数字・ハイフン・アンダースコアだけを使ってください',
  'hyphen-edge': 'ハイフンで始まるか終わる部分があります',
  root: 'ルートドメインではすべての問い合わせがトンネルへ送られます。その場合は一覧を空にしてください',
  numeric: 'これはアドレスです。DNS サーバーは [Interface] の「DNS =」に書いてください',
};

export const splitDnsJa: typeof splitDnsEn = {
  title: 'スプリット DNS',
  label: 'このトンネルの DNS サーバーで名前解決するドメイン',
  placeholder: 'corp.example\nlab.internal',
  hint: '1 行に 1 ドメイン（カンマ区切りも可）。host.corp.example のようにその配下の名前はトンネルの DNS サーバーで、それ以外の名前はシステムの DNS サーバーで解決します。空にするとすべての DNS 問い合わせがトンネルへ送られます。',
  where: '.conf ではなく WireDesk のプロファイルに保存されます。wg-quick や他のクライアントは「DNS =」のドメイン名を検索ドメインとして扱い、すべての問い合わせをトンネルへ送るため、.conf に書くとそれらのクライアントの動作が変わってしまいます。',
  needsServers: 'スプリット DNS にはトンネルの DNS サーバーが必要です。[Interface] に「DNS = <アドレス>」を追加してください。',
  appliesOnSave: '接続中のトンネルは再接続せずに、すぐ新しいドメインを使います。',
  error: (line, text, problem) => `${line} 行目: 「${text}」はドメイン名ではありません: ${splitProblemJa[problem]}。`,
  tooMany: (max) => `ドメインは最大 ${max} 個までです。`,
  detail: 'スプリット DNS',
  allQueries: 'オフ: すべての問い合わせがトンネルの DNS サーバーへ送られます',
  detailValue: (domains) => `${domains.join(', ')}（それ以外はシステムの DNS へ）`,
};
