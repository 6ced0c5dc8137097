// Follows an append-only log file the way `tail -F` does, one read per
// call: it returns the whole lines added since the last call, starts over
// when the file is truncated or replaced, and reads at most `maxRead` bytes
// a time so a log flood cannot stall the helper.
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { LineSplitter } from './engine-log.js';

export class LogTail {
  private offset = 0;
  private ino: number | null = null;
  private decoder = new StringDecoder('utf8');
  private splitter = new LineSplitter();

  constructor(readonly path: string, private readonly maxRead = 256 * 1024) {}

  async read(): Promise<string[]> {
    let fh;
    try {
      fh = await open(this.path, 'r');
    } catch {
      return []; // not created yet
    }
    try {
      const st = await fh.stat();
      if (this.ino !== st.ino || st.size < this.offset) {
        this.ino = st.ino;
        this.offset = 0;
        this.decoder = new StringDecoder('utf8');
        this.splitter = new LineSplitter();
      }
      const want = Math.min(st.size - this.offset, this.maxRead);
      if (want <= 0) return [];
      const buf = Buffer.alloc(want);
      const { bytesRead } = await fh.read(buf, 0, want, this.offset);
      this.offset += bytesRead;
      return this.splitter.push(this.decoder.write(buf.subarray(0, bytesRead)));
    } finally {
      await fh.close();
    }
  }
}
