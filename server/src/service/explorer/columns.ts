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

/**
 * The classes of identical alerts (the Explorer's folding), exact: a class is looked up by a 32-bit key (the output's
 * fingerprint) in an open-addressing table that holds one slot per class, and a slot with the key is the alert's class
 * only when `same(class)` says so (the store compares the alert with the class's latest one). Classes whose keys
 * collide take a slot each: a 32-bit fingerprint is shared by distinct outputs about once in 2^32 pairs, tens of
 * times among a million, and each such output keeps its own class. Classes are numbered from 0 in order of creation.
 */
export class FoldTable {
  /** Two numbers per slot, read together: the key, and the class plus one (0 marks an empty slot). */
  private table = new Uint32Array(2 * 4096);
  private bits = 12;
  /**
   * Three numbers per class: its latest alert, and two the store keeps with it (`note`: where that alert's output is).
   * One array written in place: a Column's push is a call on the indexing path (V8 does not inline it there).
   */
  private classes = new Uint32Array(3 * 1024);
  private count = 0;

  get size(): number { return this.count; }
  latest(cls: number): number { return this.classes[3 * cls]; }
  /** The store's two numbers of class `cls` (0 for a new class until `note` sets them). */
  noteA(cls: number): number { return this.classes[3 * cls + 1]; }
  noteB(cls: number): number { return this.classes[3 * cls + 2]; }
  note(cls: number, a: number, b: number): void {
    this.classes[3 * cls + 1] = a;
    this.classes[3 * cls + 2] = b;
  }

  /** The class of alert `id` with `key`: the first class with that key that `same` accepts (`id` becomes its latest), or a new class. */
  classOf(key: number, id: number, same: (cls: number) => boolean): number {
    const table = this.table;
    const mask = (1 << this.bits) - 1;
    let at = Math.imul(key, 0x9e3779b1) >>> (32 - this.bits);
    for (;;) {
      const slot = table[2 * at + 1];
      if (slot === 0) break;
      if (table[2 * at] === key && same(slot - 1)) { this.classes[3 * (slot - 1)] = id; return slot - 1; }
      at = (at + 1) & mask;
    }
    const cls = this.count++;
    if (3 * this.count > this.classes.length) this.growClasses(2 * this.classes.length);
    this.classes[3 * cls] = id;
    this.classes[3 * cls + 1] = 0;
    this.classes[3 * cls + 2] = 0;
    table[2 * at] = key;
    table[2 * at + 1] = cls + 1;
    if (this.count * 2 > 1 << this.bits) this.grow();
    return cls;
  }

  /**
   * Reads the slots where the keys of `keys[0..n)` start, so that their cache lines are loaded at once (the reads
   * do not wait for each other), before `classOf` probes them one by one: a quarter less time for a million classes.
   */
  touch(keys: Uint32Array, n: number): number {
    const table = this.table;
    const shift = 32 - this.bits;
    let sum = 0;
    for (let i = 0; i < n; i++) sum ^= table[2 * (Math.imul(keys[i], 0x9e3779b1) >>> shift) + 1];
    return sum;
  }

  /** Makes room for `classes` classes at once (a large log: the table is not rehashed again and again as it fills). */
  reserve(classes: number): void {
    let bits = this.bits;
    while (2 ** bits < 2 * classes && bits < 26) bits++;
    if (bits === this.bits) return;
    if (this.size > 0) { while (this.bits < bits) this.grow(); return; }
    this.bits = bits;
    this.table = new Uint32Array(2 << bits);
  }

  clear(): void {
    this.table = new Uint32Array(2 * 4096);
    this.bits = 12;
    this.classes = new Uint32Array(3 * 1024);
    this.count = 0;
  }

  get byteLength(): number { return this.table.byteLength + this.classes.byteLength; }

  private growClasses(length: number): void {
    const bigger = new Uint32Array(length);
    bigger.set(this.classes.subarray(0, 3 * this.count));
    this.classes = bigger;
  }

  private grow(): void {
    const old = this.table;
    this.bits++;
    const table = this.table = new Uint32Array(2 << this.bits);
    const mask = (1 << this.bits) - 1;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i + 1] === 0) continue;
      let at = Math.imul(old[i], 0x9e3779b1) >>> (32 - this.bits);
      while (table[2 * at + 1] !== 0) at = (at + 1) & mask;
      table[2 * at] = old[i];
      table[2 * at + 1] = old[i + 1];
    }
  }
}
