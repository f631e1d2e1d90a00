// Growable typed-array columns and a string table: the Alert Explorer keeps a million alerts as numbers
// (offsets, ids, times) rather than as objects, so memory stays in tens of megabytes.

type TypedArray = Float64Array | Uint32Array | Int8Array;
type TypedArrayConstructor<T extends TypedArray> = { new (length: number): T };

export class Column<T extends TypedArray> {
  private data: T;
  length = 0;

  constructor(private readonly kind: TypedArrayConstructor<T>, initialCapacity = 1024) {
    this.data = new kind(initialCapacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new this.kind(this.data.length * 2);
      (bigger as unknown as { set(a: T): void }).set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  get(index: number): number { return this.data[index]; }
  set(index: number, value: number): void { this.data[index] = value; }
  clear(): void { this.length = 0; }
  /** Bytes held, for the memory figures the benchmark prints. */
  get byteLength(): number { return this.data.byteLength; }
}

/** Interns strings: each distinct string is stored once and referred to by a small integer. */
export class StringTable {
  private readonly ids = new Map<string, number>();
  private readonly strings: string[] = [];

  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  find(value: string): number | undefined { return this.ids.get(value); }
  text(id: number): string { return this.strings[id]; }
  get size(): number { return this.strings.length; }
}

/**
 * Counts distinct 32-bit numbers (open addressing, linear probing on a multiplicative hash), a few at a time: the
 * Explorer counts the distinct fingerprints of a group of hundreds of thousands of alerts in steps, which one sort of
 * the group's fingerprints (20-30 ms) did not allow. `clear` sizes the table for the numbers to come (at most half
 * full, so that no step has to rehash a large table); it grows if more come.
 */
export class DistinctCounter {
  private table = new Uint32Array(1024);
  private bits = 10;
  /** Distinct numbers other than 0, which marks an empty slot. */
  private stored = 0;
  private zero = false;

  /** How many distinct numbers were added since the last clear. */
  get size(): number { return this.stored + (this.zero ? 1 : 0); }

  /** Forgets the numbers added, ready for about `expected` numbers. */
  clear(expected = 0): void {
    let bits = 10;
    while (2 ** bits < 2 * expected) bits++;
    if (bits === this.bits) this.table.fill(0);
    else { this.table = new Uint32Array(2 ** bits); this.bits = bits; }
    this.stored = 0;
    this.zero = false;
  }

  /** Adds values[from..to). */
  addAll(values: Uint32Array, from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const v = values[i];
      if (v === 0) { this.zero = true; continue; }
      if (this.insert(v) && ++this.stored * 2 > this.table.length) this.grow();
    }
  }

  /** Puts `v` (not 0) in the table; returns whether it was not there. */
  private insert(v: number): boolean {
    const table = this.table;
    const mask = table.length - 1;
    let at = Math.imul(v, 0x9e3779b1) >>> (32 - this.bits);
    for (;;) {
      const there = table[at];
      if (there === v) return false;
      if (there === 0) { table[at] = v; return true; }
      at = (at + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    this.bits++;
    for (let i = 0; i < old.length; i++) if (old[i] !== 0) this.insert(old[i]);
  }
}
