// Why a picture could not be imported as a WireGuard QR code, as data (so
// the window says it in the user's language) and as the English sentence the
// import summary carries. A config with errors is not here: it fails with
// the line-numbered errors of a file import.
import { redactLine } from '../redact.js';

/** Larger files are not screenshots or scanned pages of a QR code. */
export const MAX_IMAGE_BYTES = 16 * 1024 * 1024;
/** An A4 page scanned at 600 dpi is 35 megapixels; decoding keeps about one byte per pixel. */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** How much of a foreign QR code's content a sentence quotes. */
export const QUOTE_CHARS = 60;

export type ImageProblem =
  /** The bytes are neither PNG nor JPEG (whatever the file name says). */
  | { readonly code: 'not-png-jpeg' }
  /** PNG or JPEG by its header, but the pixels cannot be decoded. */
  | { readonly code: 'unreadable-image' }
  | { readonly code: 'file-too-large'; readonly maxMiB: number }
  | { readonly code: 'too-many-pixels'; readonly width: number; readonly height: number; readonly maxMegapixels: number }
  /** No QR code in the picture, or one too blurred, skewed or cut off to read. */
  | { readonly code: 'no-qr' }
  /** A QR code that holds something else; `content` is its start, shortened. */
  | { readonly code: 'not-wireguard'; readonly content: string };

export function describeImageProblem(p: ImageProblem): string {
  switch (p.code) {
    case 'not-png-jpeg':
      return 'This is not a PNG or JPEG image. Save the QR code as PNG or JPEG (a screenshot works) and import that.';
    case 'unreadable-image':
      return 'The image is damaged or incomplete and cannot be read. Save it again as PNG or JPEG.';
    case 'file-too-large':
      return `The image is larger than ${p.maxMiB} MiB. Crop it to the QR code, or take a screenshot of it.`;
    case 'too-many-pixels':
      return `The image is ${p.width} × ${p.height} pixels, more than ${p.maxMegapixels} megapixels. Crop it to the QR code, or scale it down.`;
    case 'no-qr':
      return 'No readable QR code was found in the image. Use a sharper picture taken straight on, with the whole code and a white border around it.';
    case 'not-wireguard':
      return `The QR code does not hold a WireGuard configuration; it holds "${p.content}".`;
  }
}

/** The start of a QR code's content, on one line and with any key hidden, for a sentence. */
export function quoteContent(text: string): string {
  // Control characters (C0, DEL, C1) would break the line or hide text.
  const line = redactLine(text).replace(/\p{Cc}+/gu, ' ').replace(/ {2,}/g, ' ').trim();
  const chars = [...line];
  return chars.length > QUOTE_CHARS ? `${chars.slice(0, QUOTE_CHARS).join('')}…` : line;
}
