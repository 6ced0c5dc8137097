// Import from a picture of a WireGuard QR code (a phone screenshot, a
// provider's page saved as an image, an image pasted from the clipboard):
//
//   bytes -> PNG or JPEG, within the size limits (image-header.ts)
//         -> QR codes (qr-image.ts, ZXing in WebAssembly, on qr-reader.ts's thread)
//         -> the codes that hold an [Interface] section, as config text
//         -> import-files.ts, as a .conf of the image's name would go
//
// Each step that fails says why with an ImageProblem; a config with errors
// fails as a file does, at its line.
import {
  describeImageProblem, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, quoteContent, type ImageProblem,
} from '../../../shared/ipc/image-import.js';
import type { ImportFailure } from '../../../shared/ipc/types.js';
import { isJpeg, isPng, readImageHeader } from './image-header.js';
import type { ImportInput, ReadConfig } from './import-files.js';
import { openQrReader, type QrReader } from './qr-reader.js';

/** Picture formats, so a GIF or WebP gets "not PNG or JPEG" rather than "not a .conf". */
const IMAGE_NAME = /\.(png|jpe?g|gif|webp|bmp|tiff?|heic|heif|avif)$/i;

/** A picture by its name, or a PNG or JPEG by its bytes whatever its name. */
export function isImageInput(input: ImportInput): boolean {
  return IMAGE_NAME.test(input.fileName) || isPng(input.bytes) || isJpeg(input.bytes);
}

/** A config has an [Interface] section; a URL, a Wi-Fi code or a contact card does not. */
const INTERFACE_SECTION = /^\s*\[Interface\]\s*(#.*)?$/im;

export interface ImageReading {
  readonly configs: ReadConfig[];
  readonly failed: ImportFailure[];
}

export async function readImages(images: readonly ImportInput[]): Promise<ImageReading> {
  const configs: ReadConfig[] = [];
  const failed: ImportFailure[] = [];
  if (images.length === 0) return { configs, failed };
  const reader = openQrReader();
  try {
    // One at a time: a decoded picture takes up to a byte per pixel.
    for (const image of images) {
      const shown = image.fileName.slice(image.fileName.lastIndexOf('/') + 1);
      const result = await readImage(image.bytes, reader);
      if ('problem' in result) failed.push({ file: shown, message: describeImageProblem(result.problem), image: result.problem });
      else for (const text of result.texts) configs.push({ fileName: shown, text });
    }
  } finally {
    await reader.close();
  }
  return { configs, failed };
}

async function readImage(bytes: Uint8Array, reader: QrReader): Promise<{ texts: string[] } | { problem: ImageProblem }> {
  const header = readImageHeader(bytes);
  if (!header) return { problem: { code: 'not-png-jpeg' } };
  if (bytes.length > MAX_IMAGE_BYTES) return { problem: { code: 'file-too-large', maxMiB: MAX_IMAGE_BYTES / (1024 * 1024) } };
  if (header.width === 0 || header.height === 0) return { problem: { code: 'unreadable-image' } };
  if (header.width * header.height > MAX_IMAGE_PIXELS) {
    return { problem: { code: 'too-many-pixels', width: header.width, height: header.height, maxMegapixels: MAX_IMAGE_PIXELS / 1e6 } };
  }
  const read = await reader.read(bytes).catch(() => ({ ok: false }) as const);
  if (!read.ok) return { problem: { code: 'unreadable-image' } };
  if (read.codes.length === 0) return { problem: { code: 'no-qr' } };
  const texts = read.codes.map(textOf);
  const configs = texts.filter((t) => INTERFACE_SECTION.test(t));
  if (configs.length === 0) return { problem: { code: 'not-wireguard', content: quoteContent(texts[0]!) } };
  return { texts: configs };
}

/** The export writes UTF-8 in byte mode; anything else is shown as Latin-1, byte for character. */
function textOf(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}
