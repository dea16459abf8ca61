/**
 * A small, fast, seeded pseudo-random generator for synthetic workloads. Determinism is the point:
 * the same seed gives the same numbers on every machine and Node version, so benchmark and parity
 * fixtures are reproducible byte for byte. Not for anything security-related.
 */

const TWO_POW_32 = 4_294_967_296;

/** Lower-case hex of every byte, so ids are built by lookup rather than `toString(16)`. */
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

/** The 32-bit avalanche finaliser of MurmurHash3: every input bit flips about half the output. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a seed and a label (FNV-1a, then finalised) into a 32-bit value. */
export function hash32(seed: number | string, label = ''): number {
  const text = `${typeof seed}:${String(seed)}/${label}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/**
 * A stateless uniform float in [0, 1) for (key, index, salt): lets per-user traits be derived on
 * demand instead of kept in a table, so 10 M users cost no memory.
 */
export function hashFloat(key: number, index: number, salt: number): number {
  const h = fmix32(key ^ fmix32(Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(salt, 0x27d4eb2f)));
  return h / TWO_POW_32;
}

/** Items with weights, prepared once so each draw is a binary search over the running sums. */
export class WeightedTable<T> {
  private readonly items: readonly T[];
  private readonly cumulative: Float64Array;

  constructor(items: readonly T[], weights: readonly number[]) {
    if (items.length === 0 || items.length !== weights.length) {
      throw new RangeError('WeightedTable needs one weight per item and at least one item');
    }
    this.items = items;
    this.cumulative = new Float64Array(items.length);
    let sum = 0;
    weights.forEach((w, i) => (this.cumulative[i] = sum += Math.max(0, w)));
    if (!(sum > 0)) throw new RangeError('WeightedTable needs a positive total weight');
  }

  get size(): number {
    return this.items.length;
  }

  /** The item whose share of the total weight contains `u` (a uniform number in [0, 1)). */
  at(u: number): T {
    const target = u * (this.cumulative[this.cumulative.length - 1] ?? 0);
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] ?? 0) > target) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}

/** Weights 1/k^s for ranks 1..n: the skew of real traffic across tenants, tools and users. */
export function zipfWeights(n: number, s = 1): number[] {
  return Array.from({ length: n }, (_, k) => 1 / Math.pow(k + 1, s));
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, passes
 * PractRand, and only needs 32-bit integer operations, which V8 compiles to a few instructions.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Box–Muller makes normals in pairs; the second is kept for the next call. */
  private spare: number | null = null;

  constructor(seed: number | string, label = '') {
    this.a = hash32(seed, `${label}#a`);
    this.b = hash32(seed, `${label}#b`);
    this.c = hash32(seed, `${label}#c`);
    this.d = 1;
    // The first outputs of sfc32 still echo the seed; discarding a few mixes the state fully.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A uniform unsigned 32-bit integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (((this.c << 21) | (this.c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1). */
  float(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** A uniform integer in [lo, hi], both ends included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  /** A uniform float in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + this.float() * (hi - lo);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() needs a non-empty array');
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** An element drawn in proportion to its weight. */
  weighted<T>(table: WeightedTable<T>): T {
    return table.at(this.float());
  }

  /** A standard normal deviate (Box–Muller). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u = 1 - this.float(); // in (0, 1], so the logarithm is finite
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * this.float();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Log-normal with the given median: latencies and token counts are skewed to the right. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Exponential with the given mean: gaps between independent arrivals. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  /** 32 lower-case hex digits: a W3C trace id. */
  hex128(): string {
    return (
      hexWord(this.uint32()) +
      hexWord(this.uint32()) +
      hexWord(this.uint32()) +
      hexWord(this.uint32())
    );
  }

  /** An RFC 4122 version-4-shaped id whose bits come from this generator, so it is reproducible. */
  uuid(): string {
    const x = hexWord(this.uint32());
    const y = this.uint32();
    const z = (this.uint32() & 0x3fffffff) | 0x80000000; // variant bits 10xx
    const w = hexWord(this.uint32());
    const version = hexWord(((y & 0xffff0fff) | 0x00004000) >>> 0);
    const variant = hexWord(z >>> 0);
    return `${x}-${version.slice(0, 4)}-${version.slice(4)}-${variant.slice(0, 4)}-${variant.slice(4)}${w}`;
  }
}

/** Eight hex digits of an unsigned 32-bit integer. */
export function hexWord(n: number): string {
  return (
    (HEX_BYTE[n >>> 24] as string) +
    (HEX_BYTE[(n >>> 16) & 0xff] as string) +
    (HEX_BYTE[(n >>> 8) & 0xff] as string) +
    (HEX_BYTE[n & 0xff] as string)
  );
}
