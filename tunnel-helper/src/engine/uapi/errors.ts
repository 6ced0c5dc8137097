// Errors of the cross-platform UAPI. On the wire a failure is `errno=-N`:
// wireguard-go sends negative Linux errno values and wg(8) turns them back
// with `errno = -ret`, so `wg` prints e.g. "Invalid argument".

/** Linux errno numbers used by the UAPI (wg-go ipc/uapi_unix.go, plus our own limits). */
export const Errno = {
  /** I/O failure; wg-go also uses it when a line exceeds its scanner buffer. */
  EIO: 5,
  /** A bad value, an unknown key, a bad `protocol_version`, trailing bytes after `get=1`. */
  EINVAL: 22,
  /** A line with no `=`, or a request cut off before its blank line. */
  EPROTO: 71,
  /** Our own cap on the size of one request (wg-go has none). */
  EMSGSIZE: 90,
  /** The listen port (or fwmark) could not be applied. */
  EADDRINUSE: 98,
  /** wg-go's "unknown" code (its comment calls it ENOANO): an unexpected device failure. */
  ENOANO: 55,
} as const;

/** A UAPI failure carrying a positive errno; the server sends it negated. */
export class UapiError extends Error {
  readonly errno: number;

  constructor(errno: number, message: string) {
    super(message);
    this.name = 'UapiError';
    this.errno = errno;
  }
}

/** The errno to report for anything a device or parser throws. */
export function errnoOf(err: unknown): number {
  return err instanceof UapiError ? err.errno : Errno.ENOANO;
}
