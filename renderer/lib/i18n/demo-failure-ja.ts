// 日本語: デモサーバーへの問い合わせが失敗した理由 (英語は shared/demo/demo-failure.ts)。
import type { DemoFailure, DemoReplyPart } from '../../../shared/demo/demo-failure.js';

const REPLY_PARTS: Record<DemoReplyPart, string> = {
  format: 'OK:公開鍵:ポート:アドレス の形式の 1 行である必要があります',
  key: '公開鍵が 32 バイトを表す 44 文字の base64 ではありません',
  port: 'ポートが 1〜65535 の数値ではありません',
  address: 'アドレスが 192.168.4.0/24 内のホストアドレスではありません',
  'too-long': 'デモサーバーの応答としては長すぎます',
};

export function describeDemoFailureJa(f: DemoFailure): string {
  switch (f.code) {
    case 'bad-host':
      return `「${f.target}」はデモサーバーのアドレスとして使えません。ホスト名または IP アドレス (必要なら :ポート を付ける)、または [IPv6]:ポート の形式で入力してください。`;
    case 'dns':
      return `デモサーバー ${f.target} が見つかりません。ホスト名とインターネット接続を確認してください。`;
    case 'refused':
      return `${f.target} に接続を拒否されました。そのポートではデモサーバーが動いていません。`;
    case 'unreachable':
      return `このコンピューターから ${f.target} に到達できません。インターネット接続を確認してください。`;
    case 'timeout':
      return `デモサーバー ${f.target} から ${f.seconds} 秒以内に応答がありませんでした。サーバーが停止しているか、ファイアウォールでポートがブロックされている可能性があります。`;
    case 'closed':
      return `デモサーバー ${f.target} は応答せずに接続を閉じました。`;
    case 'server-error':
      return `デモサーバー ${f.target} が ERROR を返しました。このコンピューターをピアとして追加できませんでした。しばらくしてからもう一度お試しください。`;
    case 'malformed':
      return `${f.target} からの応答はデモサーバーの応答ではありません: ${REPLY_PARTS[f.part]}。`;
    case 'network':
      return `デモサーバー ${f.target} と通信できませんでした (${f.detail})。`;
  }
}
