// フェイルオーバーグループの日本語テキスト（ja.ts の `groups`）。
import { groupReasonJa } from '../../../shared/ipc/group-reason-text.js';
import type { groupsEn } from './groups-en.js';

export const groupsJa: typeof groupsEn = {
  title: 'フェイルオーバーグループ',
  newGroup: '新規グループ',
  edit: (name) => `${name} を編集`,
  switchOn: (name) => `グループ ${name} をオンにする`,
  switchOff: (name) => `グループ ${name} をオフにする`,
  off: 'オフ',
  active: (member) => `${member} 経由`,
  reason: groupReasonJa,
  editorTitleNew: '新規フェイルオーバーグループ',
  editorTitle: (name) => `フェイルオーバーグループ ${name}`,
  editorHint: '同じ接続先への複数のトンネルを一つのスイッチにまとめます。先頭がプライマリです。使用中のトンネルが応答しなくなると、次のトンネルに切り替えます。上位のトンネルがハンドシェイクのみの確認に保持時間のあいだ応答し続けると、そのトンネルに戻します。',
  name: '名前',
  members: 'トンネル（優先順）',
  primary: 'プライマリ',
  moveUp: (name) => `${name} を上へ`,
  moveDown: (name) => `${name} を下へ`,
  removeMember: (name) => `${name} をグループから外す`,
  addMember: 'トンネルを追加…',
  noneLeft: 'すべてのトンネルがすでにグループに入っています。',
  holdSeconds: '戻すまでの保持時間（秒）',
  dwellSeconds: '切り替えの最短間隔（秒）',
  failAfterSeconds: '次のトンネルに切り替えるまでの不調時間（秒）',
  save: 'グループを保存',
  remove: 'グループを削除',
  cancel: 'キャンセル',
};
