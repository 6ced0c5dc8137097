// 日本語: すべての診断の文言 (組み立ては describe.ts、英語は en.ts)。
import type { DiagnosisWords } from './describe.js';

export const diagnosisJa: DiagnosisWords = {
  duration: (s) => (s < 120 ? `${s} 秒` : `${Math.floor(s / 60)} 分 ${s % 60} 秒`),
  peer: (key) => `ピア ${key}: `,
  handshakeAge: (ago) => `最後のハンドシェイクは ${ago}前で、セッションは 3 分で期限切れになります。`,
  notWithin: (waited) => `接続してから ${waited}以内にハンドシェイクが完了しませんでした。`,
  thePeer: 'ピア',
  evidence: {
    'cookie-reply': (where) => `${where} がクッキー応答を返しました。サーバーが高負荷で、ハンドシェイクを制限しています。` +
      'WireDesk は再試行を続けます。数分以上続く場合は、サーバーが過負荷か攻撃を受けています。',
    'reply-failed': (where) => `${where} から応答がありましたが、認証に失敗しました。鍵が一致していません。` +
      'ピアの PublicKey がサーバーの公開鍵であること、サーバーにこのトンネルの公開鍵が登録されていること、両方が同じ PresharedKey を使っていることを確認してください。',
    'no-reply': (where, bytes, seconds) => `${where} から応答がありません。` +
      (bytes !== undefined && seconds !== undefined ? `直近 ${seconds} 秒間にハンドシェイクを ${bytes} バイト送信しましたが、何も返ってきません。` : 'ハンドシェイクを送信しましたが、何も返ってきません。') +
      'UDP が (ファイアウォールやネットワークで) ブロックされているか、エンドポイントが間違っています。エンドポイントが正しい場合は鍵を確認してください。' +
      'ピアは認証できないハンドシェイクを黙って無視するため、鍵の不一致も同じように見えます。',
    'replies-no-handshake': (where) => `${where} からパケットは届きますが、ハンドシェイクが完了しません。鍵が一致していない可能性があります。` +
      'ピアの PublicKey と PresharedKey をサーバーの設定と照らし合わせてください。',
    silent: (where) => `最近 ${where} との間で何も送受信されていません。` +
      'ハンドシェイクを始める通信がなく、トンネルが待機しているだけかもしれません。WireDesk は再試行します。このまま続く場合は Endpoint を確認してください。',
  },
  unresolved: (host) => `エンドポイント${host ? `のホスト ${host} ` : ''}の名前解決ができませんでした。Endpoint のホスト名と、トンネルなしで DNS が使えることを確認してください。`,
  engineStopped: {
    'helper-away': 'ヘルパーが動いていない間にトンネルエンジンが停止しました。トンネルをオフにするまでキルスイッチが通信を遮断し続けます。オフにしてから再びオンにすると再接続します。',
    'kill-switch-held': 'トンネルエンジンが予期せず停止しました。トンネルをオフにするまでキルスイッチが通信を遮断し続けます。オフにしてから再びオンにすると再接続します。',
    'turned-off': 'トンネルエンジンが予期せず停止したため、トンネルをオフにし、ルートと DNS 設定を削除しました。再びオンにすると再接続します。',
    unknown: 'トンネルエンジンが予期せず停止しました。トンネルをオフにしてから再びオンにすると再接続します。',
  },
  setupFailed: 'トンネルをオンにできませんでした。',
  teardownFailed: 'トンネルを完全にはオフにできませんでした。ルート、DNS 設定、キルスイッチのルールの一部が残っている可能性があります。もう一度オフにしてみてください。',
  resumedFromSleep: 'コンピューターがスリープから復帰したため、以前のセッション鍵は信頼できません。WireDesk が新しいハンドシェイクを行っています。完了するとトンネルは再びオンと表示されます。',
  deadTunnel: (seconds) => `送信待ちの通信があるのに ${seconds} 秒間ハンドシェイクが完了しなかったため、WireDesk がトンネルを再接続しました。`,
  recoveryTried: (steps) => `WireDesk が試したこと: ${steps.join('、')}。`,
  recoveryStep: {
    're-resolved': 'エンドポイントのホスト名を再解決',
    're-bound': 'UDP ソケットを開き直し',
    're-handshaken': '新しいハンドシェイクを開始',
  },
  helperLost: 'WireDesk のヘルパーが停止したため、このトンネルを操作できません。ヘルパーを再起動してください。',
  helperOutdated: 'インストールされている WireDesk のヘルパーは、このアプリと異なるバージョンです。トンネルをオンにするにはヘルパーを更新してください。',
  details: (text) => `（詳細: ${text}）`,
};
