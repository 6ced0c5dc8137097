// Leveled logging as wireguard-go does it: LOG_LEVEL=verbose|debug, error or
// silent (the default). Lines carry the interface name so one helper log can
// interleave several engines. Callers never pass key material to it.

export type LogLevel = 'silent' | 'error' | 'verbose';

export interface Logger {
  readonly level: LogLevel;
  verbose(message: string): void;
  error(message: string): void;
}

export function parseLogLevel(value: string | undefined): LogLevel {
  switch ((value ?? '').toLowerCase()) {
    case 'verbose': case 'debug': return 'verbose';
    case 'error': return 'error';
    default: return 'silent';
  }
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function createLogger(level: LogLevel, prefix: string, write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  return {
    level,
    verbose(message) {
      if (level === 'verbose') write(`DEBUG: ${stamp(new Date())} ${prefix}${message}\n`);
    },
    error(message) {
      if (level !== 'silent') write(`ERROR: ${stamp(new Date())} ${prefix}${message}\n`);
    },
  };
}

export const silentLogger: Logger = createLogger('silent', '', () => {});
