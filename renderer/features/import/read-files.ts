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
