/**
 * A correctly rounded natural logarithm.
 *
 * Why: ksqlDB prints `LN(3.0)` as 1.0986122886681098 (HotSpot's Math.log intrinsic is correctly rounded
 * here) while V8's Math.log gives 1.0986122886681096, one ulp off, and math.json compares exactly.
 * The log is computed in 192-bit fixed point (atanh series after reducing to [0.7, 1.42]) and rounded
 * once to a double. About 10 µs per call; only LN/LOG use it.
 */
const K = 192n;
const ONE = 1n << K;

function atanhFixed(t: bigint): bigint {
  if (t < 0n) return -atanhFixed(-t);
  const t2 = (t * t) >> K;
  let term = t;
  let sum = t;
  for (let k = 3n; term !== 0n; k += 2n) {
    term = (term * t2) >> K;
    sum += term / k;
  }
  return sum;
}

const LN2 = 2n * atanhFixed(ONE / 3n);

function fixedToNumber(v: bigint): number {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const intPart = a >> K;
  const frac = a & (ONE - 1n);
  const fracDigits = ((frac * 10n ** 60n) >> K).toString().padStart(60, '0');
  return Number(`${neg ? '-' : ''}${intPart}.${fracDigits}`);
}

export function preciseLn(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  if (x === 1) return 0;
  let e = Math.floor(Math.log2(x));
  let m = x / 2 ** e;
  if (!Number.isFinite(m) || m === 0) {
    // extreme exponents: scale in two steps
    const half = Math.trunc(e / 2);
    m = x / 2 ** half / 2 ** (e - half);
  }
  while (m >= 2) { m /= 2; e += 1; }
  while (m < 1) { m *= 2; e -= 1; }
  if (m > Math.SQRT2) { m /= 2; e += 1; }
  const mant = BigInt(m * 2 ** 53);
  const M = mant << (K - 53n);
  const t = ((M - ONE) << K) / (M + ONE);
  return fixedToNumber(BigInt(e) * LN2 + 2n * atanhFixed(t));
}
