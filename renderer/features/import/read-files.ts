// Reads picked or dropped files for main, which validates and stores them.
// Sandboxed renderers get no file paths, so the bytes travel (as base64).
export async function readForImport(files: readonly File[]): Promise<{ name: string; data: string }[]> {
  return Promise.all(files.map(async (f) => {
    const bytes = new Uint8Array(await f.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { name: f.name, data: btoa(binary) };
  }));
}

/**
 * The images on a paste, as files named for the tunnel they would become.
 * Chromium hands a copied picture over as a PNG file, whatever the source.
 */
export function pastedImages(data: DataTransfer | null, name: string): File[] {
  const files = [...(data?.files ?? [])].filter((f) => f.type.startsWith('image/'));
  return files.map((f, i) => {
    const ext = f.type === 'image/jpeg' ? 'jpg' : f.type === 'image/png' ? 'png' : (f.type.slice(6) || 'img');
    return new File([f], `${name}${i ? `-${i + 1}` : ''}.${ext}`, { type: f.type });
  });
}
