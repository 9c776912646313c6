const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

// `items`, as the bytes of a top-level key.
const ITEMS = [0x69, 0x74, 0x65, 0x6d, 0x73];
const MAX_KEY = 16;

/**
 * Splits a Kubernetes list body (`{"kind":…,"metadata":{…},"items":[{…},…]}`)
 * into one JSON text per item while it streams in, so each item is parsed
 * (compacted, and dropped) on its own instead of a page of megabytes at
 * once: no page-sized string, and parsed objects that die young. Everything
 * outside the items (kind, apiVersion, metadata) is kept as the shell, with
 * `"items":[]`.
 *
 * Works on bytes: in UTF-8 no byte of a multi-byte character equals an
 * ASCII structure character. Only objects are items (Kubernetes lists hold
 * nothing else).
 */
export class ListItemSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private inItems = false;
  private done = false;
  /** Bytes of the top-level string being read (keys are short), and of the last one. */
  private key: number[] = [];
  private lastKey: number[] = [];
  private readonly shell: Buffer[] = [];
  /** Bytes of an item that began in an earlier chunk. */
  private carry: Buffer[] = [];
  private count = 0;

  constructor(
    private readonly onItem: (text: string) => void,
    /** Called when the items array begins, with the shell up to there (`{…,"items":[`). */
    private readonly onHead?: (head: string) => void,
  ) {}

  /** Items emitted so far. */
  get items(): number {
    return this.count;
  }

  write(chunk: Buffer): void {
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    let inItems = this.inItems;
    let shellFrom = inItems ? -1 : 0;
    let itemFrom = this.carry.length ? 0 : -1;
    let nextBackslash = -1;
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (inString) {
        if (escaped) {
          escaped = false;
          i++;
          continue;
        }
        if (!inItems && depth === 1) {
          // A top-level key or value: short, read byte by byte.
          const c = chunk[i];
          if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) {
            inString = false;
            this.lastKey = this.key;
          } else if (this.key.length < MAX_KEY) this.key.push(c);
          i++;
          continue;
        }
        // Jump to the next quote; a backslash before it escapes what follows.
        const quote = chunk.indexOf(QUOTE, i);
        if (nextBackslash < i) {
          const found = chunk.indexOf(BACKSLASH, i);
          nextBackslash = found < 0 ? n : found;
        }
        if (nextBackslash < n && (quote < 0 || nextBackslash < quote)) {
          escaped = true;
          i = nextBackslash + 1;
          continue;
        }
        if (quote < 0) {
          i = n;
          continue;
        }
        inString = false;
        i = quote + 1;
        continue;
      }
      const c = chunk[i];
      if (c === QUOTE) {
        inString = true;
        if (!inItems && depth === 1) this.key = [];
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (inItems && depth === 2 && c === OPEN_BRACE) itemFrom = i;
        depth++;
        if (
          !inItems &&
          !this.done &&
          depth === 2 &&
          c === OPEN_BRACKET &&
          isItemsKey(this.lastKey)
        ) {
          inItems = true;
          this.shell.push(chunk.subarray(shellFrom, i + 1));
          shellFrom = -1;
          this.onHead?.(Buffer.concat(this.shell).toString('utf8'));
        }
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        if (inItems && depth === 2 && c === CLOSE_BRACE && itemFrom >= 0) {
          this.emit(chunk, itemFrom, i + 1);
          itemFrom = -1;
        } else if (inItems && depth === 1) {
          inItems = false;
          this.done = true;
          shellFrom = i;
        }
      }
      i++;
    }
    if (shellFrom >= 0 && shellFrom < n)
      this.shell.push(chunk.subarray(shellFrom));
    if (itemFrom >= 0) this.carry.push(chunk.subarray(itemFrom));
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    this.inItems = inItems;
  }

  /** The shell (`{"kind":…,"metadata":{…},"items":[]}`) once the body has ended. */
  end(): string {
    return Buffer.concat(this.shell).toString('utf8');
  }

  private emit(chunk: Buffer, from: number, to: number) {
    let text: string;
    if (this.carry.length) {
      const parts = this.carry;
      this.carry = [];
      parts.push(chunk.subarray(0, to));
      text = Buffer.concat(parts).toString('utf8');
    } else {
      text = chunk.toString('utf8', from, to);
    }
    this.count++;
    this.onItem(text);
  }
}

function isItemsKey(key: number[]) {
  return key.length === ITEMS.length && key.every((b, i) => b === ITEMS[i]);
}
