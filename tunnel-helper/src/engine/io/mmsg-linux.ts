// The native side of one recvmmsg/sendmmsg batch: an array of struct mmsghdr
// with one iovec, one sockaddr slot and one control slot per message, built
// once in stable memory. Per call only the iovec (where the packet is in the
// engine's slab) and the lengths the kernel overwrites are rewritten.
//
//   struct mmsghdr (64): msg_name ptr @0, msg_namelen u32 @8, msg_iov ptr @16,
//     msg_iovlen u64 @24, msg_control ptr @32, msg_controllen u64 @40,
//     msg_flags i32 @48, msg_len u32 @56           (x86_64 and arm64 LP64)
//   struct iovec (16): iov_base ptr @0, iov_len u64 @8
import { addressOf } from './libc.js';

const HDR = 64;
const IOV = 16;
const NAME = 32;
const CTRL = 64;
const TWO32 = 0x1_0000_0000;
export const MSG_TRUNC = 0x20;

export class MmsgBatch {
  readonly capacity: number;
  /** sockaddr slots: message i's at i * 32. */
  readonly names: Buffer;
  /** control slots: message i's at i * 64. */
  readonly control: Buffer;
  /** Native address of the mmsghdr array, for recvmmsg/sendmmsg. */
  readonly address: number;
  private readonly u32: Uint32Array;
  private readonly iovWord: number;
  private readonly iovAddr: number;
  private readonly ctrlAddr: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    const iovOff = capacity * HDR;
    const nameOff = iovOff + capacity * IOV;
    const ctrlOff = nameOff + capacity * NAME;
    const mem = new ArrayBuffer(ctrlOff + capacity * CTRL); // ArrayBuffer memory never moves
    this.u32 = new Uint32Array(mem);
    this.names = Buffer.from(mem, nameOff, capacity * NAME);
    this.control = Buffer.from(mem, ctrlOff, capacity * CTRL);
    this.address = addressOf(this.u32);
    this.iovWord = iovOff / 4;
    this.iovAddr = this.address + iovOff;
    this.ctrlAddr = this.address + ctrlOff;
    for (let i = 0; i < capacity; i++) {
      const h = (i * HDR) / 4;
      this.put64(h, this.address + nameOff + i * NAME); // msg_name
      this.put64(h + 4, this.address + iovOff + i * IOV); // msg_iov
      this.put64(h + 6, 1); // msg_iovlen
    }
  }

  /** Points iovec i (by default message i's only one) at `len` bytes of native memory at `addr`. */
  setIov(i: number, addr: number, len: number): void {
    const w = this.iovWord + i * 4;
    this.put64(w, addr);
    this.put64(w + 2, len);
  }

  /** Makes message i gather `count` iovecs from iovec `first` on (a GSO train of segments). */
  setMsgIov(i: number, first: number, count: number): void {
    const h = i * 16;
    this.put64(h + 4, this.iovAddr + first * IOV);
    this.put64(h + 6, count);
  }

  /** Sets the sockaddr length of message i (the kernel rewrites it on receive). */
  setNameLen(i: number, len: number): void {
    this.u32[i * 16 + 2] = len;
  }

  /** Gives message i `len` bytes of control space (0: no control message). */
  setControlLen(i: number, len: number): void {
    const h = i * 16;
    this.put64(h + 8, len ? this.ctrlAddr + i * CTRL : 0);
    this.put64(h + 10, len);
    this.u32[h + 12] = 0; // msg_flags
  }

  /** Bytes received into / sent from message i. */
  msgLen(i: number): number {
    return this.u32[i * 16 + 14]!;
  }

  msgFlags(i: number): number {
    return this.u32[i * 16 + 12]!;
  }

  controlLen(i: number): number {
    return this.u32[i * 16 + 10]!;
  }

  /** Byte offset of message i's control slot inside `control`. */
  controlOffset(i: number): number {
    return i * CTRL;
  }

  /** Byte offset of message i's sockaddr slot inside `names`. */
  nameOffset(i: number): number {
    return i * NAME;
  }

  /** Address of message i's header, to restart a batch from the middle. */
  addressOf(i: number): number {
    return this.address + i * HDR;
  }

  private put64(word: number, value: number): void {
    this.u32[word] = value >>> 0;
    this.u32[word + 1] = Math.floor(value / TWO32);
  }
}
