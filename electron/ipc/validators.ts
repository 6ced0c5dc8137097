// Tiny runtime validators whose static types are inferred, so the IPC schema
// is written once and both the checks and the TypeScript types come from it.
// Everything crossing from the renderer is untrusted: bound every string and list.

export class IpcValidationError extends Error {
  override name = 'IpcValidationError';
}

export interface Validator<T> {
  /** Returns the value (typed) or throws IpcValidationError naming the path. */
  check(value: unknown, path: string): T;
}

export type Infer<V> = V extends Validator<infer T> ? T : never;

function fail(path: string, expected: string): never {
  throw new IpcValidationError(`${path}: expected ${expected}`);
}

export function str(opts: { max?: number; pattern?: RegExp } = {}): Validator<string> {
  const max = opts.max ?? 1024;
  return {
    check(v, path) {
      if (typeof v !== 'string') fail(path, 'a string');
      if (v.length > max) fail(path, `at most ${max} characters`);
      if (opts.pattern && !opts.pattern.test(v)) fail(path, `text matching ${opts.pattern}`);
      return v;
    },
  };
}

export function num(opts: { min?: number; max?: number; integer?: boolean } = {}): Validator<number> {
  return {
    check(v, path) {
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'a finite number');
      if (opts.integer && !Number.isInteger(v)) fail(path, 'an integer');
      if (opts.min !== undefined && v < opts.min) fail(path, `>= ${opts.min}`);
      if (opts.max !== undefined && v > opts.max) fail(path, `<= ${opts.max}`);
      return v;
    },
  };
}

export const bool: Validator<boolean> = {
  check(v, path) {
    if (typeof v !== 'boolean') fail(path, 'a boolean');
    return v;
  },
};

export function literal<const L extends readonly (string | number | boolean)[]>(...values: L): Validator<L[number]> {
  return {
    check(v, path) {
      if (!values.includes(v as L[number])) fail(path, `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
      return v as L[number];
    },
  };
}

export function arr<T>(item: Validator<T>, maxLength = 1000): Validator<T[]> {
  return {
    check(v, path) {
      if (!Array.isArray(v)) fail(path, 'a list');
      if (v.length > maxLength) fail(path, `at most ${maxLength} items`);
      return v.map((x, i) => item.check(x, `${path}[${i}]`));
    },
  };
}

type Shape = Record<string, Validator<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? K : never }[keyof S];
export type ObjOf<S extends Shape> = { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & {
  [K in OptionalKeys<S>]?: Infer<S[K]>;
};

export interface Optional<T> extends Validator<T | undefined> {
  readonly optional: true;
}

export function optional<T>(inner: Validator<T>): Optional<T> {
  return { optional: true, check: (v, path) => (v === undefined ? undefined : inner.check(v, path)) };
}

/** null or absent both read as null: JSON turns an undefined argument into null. */
export function nullable<T>(inner: Validator<T>): Validator<T | null> {
  return { check: (v, path) => (v === undefined || v === null ? null : inner.check(v, path)) };
}

/** A plain object with exactly these keys; unknown keys are refused, not ignored. */
export function obj<S extends Shape>(shape: S): Validator<ObjOf<S>> {
  return {
    check(v, path) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'an object');
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v)) {
        if (!Object.hasOwn(shape, key)) throw new IpcValidationError(`${path}.${key}: unknown field`);
      }
      for (const [key, validator] of Object.entries(shape)) {
        const value = validator.check((v as Record<string, unknown>)[key], `${path}.${key}`);
        if (value !== undefined) out[key] = value;
      }
      return out as ObjOf<S>;
    },
  };
}

/** Positional arguments of a call. Extra arguments are refused. */
export function args<const A extends readonly Validator<unknown>[]>(...items: A): Validator<{ -readonly [I in keyof A]: Infer<A[I]> }> {
  return {
    check(v, path) {
      if (!Array.isArray(v)) fail(path, 'an argument list');
      if (v.length > items.length) fail(path, `at most ${items.length} arguments`);
      return items.map((item, i) => item.check(v[i], `${path}[${i}]`)) as { -readonly [I in keyof A]: Infer<A[I]> };
    },
  };
}

/**
 * A type carried by the schema without a runtime check: results and events
 * travel from main to renderer, so main (the trusted side) produces them.
 */
export function trusted<T>(): Validator<T> {
  return { check: (v) => v as T };
}
