// Runtime type checks that also produce the static types, so a protocol table
// is written once and both ends derive their code from it. Both tables use
// it: the helper's control protocol (shared/control/protocol.ts) and the app's IPC
// (shared/ipc/schema.ts). Pure: the renderer imports it too.
//
// A Check walks a decoded value and returns it typed, or throws CheckError
// naming the exact path ("params.options.killSwitch") and what was expected.
// Objects are strict about unknown keys when `strict` is set (anything from a
// less trusted side), lenient otherwise (results and events, so a newer
// helper may add fields without breaking an older app).

export class CheckError extends Error {
  constructor(readonly path: string, readonly expected: string, got: unknown) {
    super(`${path}: expected ${expected}, got ${describe(got)}`);
    this.name = 'CheckError';
  }
}

export type Check<T> = (value: unknown, path: string, strict: boolean) => T;
export type Infer<C> = C extends Check<infer T> ? T : never;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v.length > 40 ? `a string of ${v.length} characters` : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return typeof v === 'object' ? 'an object' : typeof v;
}

export interface StrOptions {
  /** Longest accepted length in UTF-16 units (default 4096). */
  max?: number;
  min?: number;
  pattern?: RegExp;
  /** What the pattern means, for the error message. */
  hint?: string;
}

export function str(opts: StrOptions = {}): Check<string> {
  const max = opts.max ?? 4096;
  const min = opts.min ?? 0;
  const what = opts.hint ?? (min > 0 ? `a non-empty string of at most ${max} characters` : `a string of at most ${max} characters`);
  return (v, path) => {
    if (typeof v !== 'string' || v.length > max || v.length < min) throw new CheckError(path, what, v);
    if (opts.pattern && !opts.pattern.test(v)) throw new CheckError(path, opts.hint ?? `text matching ${opts.pattern}`, v);
    return v;
  };
}

/** An integer in [min, max] (defaults: the safe-integer range). */
export function int(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Check<number> {
  return (v, path) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new CheckError(path, `an integer from ${min} to ${max}`, v);
    }
    return v;
  };
}

export const bool: Check<boolean> = (v, path) => {
  if (typeof v !== 'boolean') throw new CheckError(path, 'a boolean', v);
  return v;
};

export function oneOf<const T extends readonly string[]>(...values: T): Check<T[number]> {
  const what = `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`;
  return (v, path) => {
    if (typeof v !== 'string' || !values.includes(v)) throw new CheckError(path, what, v);
    return v as T[number];
  };
}

/** null, or undefined (an absent argument: JSON turns it into null), reads as null. */
export function nullable<T>(inner: Check<T>): Check<T | null> {
  return (v, path, strict) => (v === null || v === undefined ? null : inner(v, path, strict));
}

export function arr<T>(item: Check<T>, maxLength = 1024): Check<T[]> {
  return (v, path, strict) => {
    if (!Array.isArray(v) || v.length > maxLength) throw new CheckError(path, `an array of at most ${maxLength} items`, v);
    return v.map((x, i) => item(x, `${path}[${i}]`, strict));
  };
}

type Shape = Record<string, Check<unknown>>;
type Prettify<T> = { [K in keyof T]: T[K] } & {};
export type ObjOf<R extends Shape, O extends Shape> = Prettify<
  { [K in keyof R]: Infer<R[K]> } & { [K in keyof O]?: Infer<O[K]> }
>;

/** An object with `required` keys and `optional` ones (absent or undefined). */
export function obj<R extends Shape, O extends Shape = Record<never, never>>(required: R, optional?: O): Check<ObjOf<R, O>> {
  const opt: Shape = optional ?? {};
  return (v, path, strict) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new CheckError(path, 'an object', v);
    const src = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, check] of Object.entries(required)) {
      if (!Object.hasOwn(src, key)) throw new CheckError(`${path}.${key}`, 'a value (it is required)', undefined);
      out[key] = check(src[key], `${path}.${key}`, strict);
    }
    for (const [key, check] of Object.entries(opt)) {
      if (Object.hasOwn(src, key) && src[key] !== undefined) out[key] = check(src[key], `${path}.${key}`, strict);
    }
    if (strict) {
      for (const key of Object.keys(src)) {
        if (!Object.hasOwn(required, key) && !Object.hasOwn(opt, key)) {
          throw new CheckError(`${path}.${key.slice(0, 64)}`, 'no such field (unknown key)', src[key]);
        }
      }
    }
    return out as ObjOf<R, O>;
  };
}

type TupleOf<A extends readonly Check<unknown>[]> = { -readonly [I in keyof A]: Infer<A[I]> };

/** Positional arguments of a call; a missing one is undefined, an extra one is refused. */
export function args<const A extends readonly Check<unknown>[]>(...items: A): Check<TupleOf<A>> {
  const what = `an argument list of at most ${items.length} arguments`;
  return (v, path, strict) => {
    if (!Array.isArray(v) || v.length > items.length) throw new CheckError(path, what, v);
    return items.map((item, i) => item(v[i], `${path}[${i}]`, strict)) as TupleOf<A>;
  };
}

/** A type carried without a runtime check, for values the trusted side produces. */
export function trusted<T>(): Check<T> {
  return (v) => v as T;
}
