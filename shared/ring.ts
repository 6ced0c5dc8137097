// A ring buffer: the newest `capacity` items, oldest first, so a long-running
// process keeps recent history (log lines, rate points, handshakes) without
// growing. Pure and shared: the helper's log book, main's tunnel history and
// the renderer's store use it.

/**
 * `items` with `item` appended, cut to the newest `capacity`, as a new array:
 * the one implementation, usable directly where state is replaced rather than
 * changed (the renderer's store hands each snapshot to React).
 */
export function pushNewest<T>(items: readonly T[], item: T, capacity: number): T[] {
  return [...items.slice(Math.max(0, items.length + 1 - capacity)), item];
}

export class Ring<T> {
  private items: readonly T[] = [];

  constructor(readonly capacity: number) {}

  push(item: T): void {
    this.items = pushNewest(this.items, item, this.capacity);
  }

  /** The newest `limit` items, oldest first. */
  last(limit: number): T[] {
    return this.items.slice(Math.max(0, this.items.length - limit));
  }

  /** Every item, oldest first. */
  toArray(): T[] {
    return [...this.items];
  }

  get size(): number {
    return this.items.length;
  }
}
