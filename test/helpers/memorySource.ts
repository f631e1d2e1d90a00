// An Alert Explorer log held in memory (the store's ByteSource), for tests of the store.
import type { ByteSource } from '../../server/src/service/explorer/alertStore';

export class MemorySource implements ByteSource {
  data: Buffer;
  /** Reads asked of the source so far. */
  reads = 0;
  constructor(text: string) { this.data = Buffer.from(text, 'utf8'); }
  append(text: string): void { this.data = Buffer.concat([this.data, Buffer.from(text, 'utf8')]); }
  size(): number { return this.data.length; }
  read(buffer: Buffer, offset: number, length: number, position: number): number {
    this.reads++;
    return this.data.copy(buffer, offset, position, Math.min(this.data.length, position + length));
  }
}
