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
