// Import from a picture of a QR code, in English and Japanese (en.ts and
// ja.ts include these as `qrImport`). The English problems are the sentences
// main already put in the summary (shared/ipc/image-import.ts).
import { describeImageProblem, type ImageProblem } from '../../../shared/ipc/image-import.js';

export const qrImportEn = {
  hint: 'A screenshot of a WireGuard QR code can also be pasted here (Ctrl+V) or dropped on the window.',
  reading: 'Reading…',
  problem: describeImageProblem,
};

function describeImageProblemJa(p: ImageProblem): string {
  switch (p.code) {
    case 'not-png-jpeg':
      return 'PNG または JPEG 画像ではありません。QR コードを PNG または JPEG で保存して (スクリーンショットでも構いません)、それをインポートしてください。';
    case 'unreadable-image':
      return '画像が壊れているか不完全なため読み取れません。PNG または JPEG で保存し直してください。';
    case 'file-too-large':
      return `画像が ${p.maxMiB} MiB を超えています。QR コードの部分だけに切り抜くか、スクリーンショットを撮ってください。`;
    case 'too-many-pixels':
      return `画像は ${p.width} × ${p.height} ピクセルで、${p.maxMegapixels} メガピクセルを超えています。QR コードの部分だけに切り抜くか、縮小してください。`;
    case 'no-qr':
      return '画像から読み取れる QR コードが見つかりません。コード全体と周りの白い余白が写った、ピントの合った画像を正面から撮り直してください。';
    case 'not-wireguard':
      return `この QR コードは WireGuard の設定ではありません。内容:「${p.content}」`;
  }
}

export const qrImportJa: typeof qrImportEn = {
  hint: 'WireGuard の QR コードのスクリーンショットは、ここに貼り付ける (Ctrl+V) か、ウィンドウにドロップしてもインポートできます。',
  reading: '読み取り中…',
  problem: describeImageProblemJa,
};
