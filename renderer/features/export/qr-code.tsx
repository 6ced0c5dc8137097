// Draws main's QR modules as one SVG path, with the 4-module quiet zone
// scanners need.
import { memo, useMemo } from 'react';
import type { QrCode } from '../../../shared/ipc/types.js';

export const QrImage = memo(function QrImage({ qr, label }: { qr: QrCode; label: string }) {
  const d = useMemo(() => qr.rows.map((row, y) => [...row].map((c, x) => (c === '1' ? `M${x + 4},${y + 4}h1v1h-1z` : '')).join('')).join(''), [qr]);
  const size = qr.size + 8;
  return (
    <svg className="qr" viewBox={`0 0 ${size} ${size}`} role="img" aria-label={label} data-testid="qr-code" data-modules={qr.size} shapeRendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
});
