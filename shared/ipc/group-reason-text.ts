// Why a failover group runs the member it runs, in English and Japanese: one
// sentence set, shown by the tray (main) and the window (renderer).
import type { GroupReason } from './groups.js';

export function groupReasonEn(r: GroupReason): string {
  switch (r.code) {
    case 'started': return `${r.to ?? ''} is the first member to come up`;
    case 'failed-over': return `${r.from ?? ''} stopped answering, so ${r.to ?? ''} took over`;
    case 'failed-back': return `${r.to ?? ''} answered every probe for the holding time, so it is back`;
    case 'all-failed': return `${r.from ?? ''}, the last member, is not answering either; it keeps reconnecting`;
    case 'holding': return `${r.to ?? ''} answers again; switching back in ${r.seconds ?? 0} s if it keeps answering`;
  }
}

export function groupReasonJa(r: GroupReason): string {
  switch (r.code) {
    case 'started': return `最初に接続できたメンバーは ${r.to ?? ''} です`;
    case 'failed-over': return `${r.from ?? ''} が応答しなくなったため、${r.to ?? ''} に切り替えました`;
    case 'failed-back': return `${r.to ?? ''} が保持時間のあいだすべての確認に応答したため、戻しました`;
    case 'all-failed': return `最後のメンバー ${r.from ?? ''} も応答しません。再接続を続けています`;
    case 'holding': return `${r.to ?? ''} が再び応答しています。応答が続けば ${r.seconds ?? 0} 秒後に戻します`;
  }
}
