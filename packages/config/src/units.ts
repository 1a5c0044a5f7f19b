/**
 * Durations and sizes as operators write them (`30s`, `1h30m`, `512kb`), parsed
 * to plain numbers (milliseconds, bytes) and formatted back for samples.
 */

const DURATION_UNITS: ReadonlyMap<string, number> = new Map([
  ['ms', 1],
  ['s', 1_000],
  ['m', 60_000],
  ['h', 3_600_000],
  ['d', 86_400_000],
  ['w', 604_800_000],
]);

// Binary multiples for both spellings, as the `bytes` package (Express, Fastify body limits) does:
// an operator writing `10mb` for a body limit means 10 * 1024 * 1024.
const SIZE_UNITS: ReadonlyMap<string, number> = new Map([
  ['b', 1],
  ['kb', 1024],
  ['kib', 1024],
  ['mb', 1024 ** 2],
  ['mib', 1024 ** 2],
  ['gb', 1024 ** 3],
  ['gib', 1024 ** 3],
  ['tb', 1024 ** 4],
  ['tib', 1024 ** 4],
]);

const DURATION_PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)/gy;
const SIZE_TEXT = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/;

/**
 * `text` (digits with an optional fraction) times `factor`. Multiplying the parsed
 * fraction made `2.3h` 8279999.999999999 ms and `2.2d` 190080000.00000003 (2.3 has
 * no exact binary form): the digits are scaled as a whole number instead and divided
 * once, so a product that is a whole number of milliseconds comes out exact.
 */
function scaled(text: string, factor: number): number {
  const dot = text.indexOf('.');
  if (dot === -1) return Number(text) * factor;
  return (Number(text.slice(0, dot) + text.slice(dot + 1)) * factor) / 10 ** (text.length - dot - 1);
}

/**
 * Parses `1500`, `1500ms`, `30s`, `1h30m`, `1.5h` into milliseconds; undefined when malformed.
 * @example
 * parseDuration('1h30m') // 5_400_000
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (trimmed === '') return undefined;
  DURATION_PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let match = DURATION_PART.exec(trimmed); match !== null; match = DURATION_PART.exec(trimmed)) {
    // The pattern only captures known units, so the lookup always finds a factor.
    total += scaled(match[1] as string, DURATION_UNITS.get(match[2] as string) as number);
    consumed = DURATION_PART.lastIndex;
    while (trimmed[consumed] === ' ') consumed += 1;
    DURATION_PART.lastIndex = consumed;
  }
  return consumed === trimmed.length && Number.isFinite(total) ? total : undefined;
}

/**
 * Parses `1024`, `512b`, `64kb`, `10MiB` into a whole number of bytes; undefined when malformed.
 * @example
 * parseSize('10mb') // 10_485_760
 */
export function parseSize(text: string): number | undefined {
  const match = SIZE_TEXT.exec(text.trim().toLowerCase());
  if (match === null) return undefined;
  // An unknown unit gives NaN, which the safe-integer check refuses.
  const factor = match[2] === '' ? 1 : (SIZE_UNITS.get(match[2] as string) ?? Number.NaN);
  const bytes = Number(match[1]) * factor;
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

function formatWith(value: number, units: ReadonlyMap<string, number>, order: readonly string[]): string {
  for (const unit of order) {
    const factor = units.get(unit) as number;
    if (value !== 0 && value % factor === 0) return `${value / factor}${unit}`;
  }
  // Only 0 gets here (the smallest unit divides every other integer): `0ms`, `0b`.
  return `${value}${order[order.length - 1] as string}`;
}

/**
 * Formats milliseconds with the largest unit that divides them exactly.
 * @example
 * formatDuration(90_000) // '90s'
 */
export function formatDuration(ms: number): string {
  return Number.isInteger(ms) ? formatWith(ms, DURATION_UNITS, ['w', 'd', 'h', 'm', 's', 'ms']) : `${ms}ms`;
}

/**
 * Formats bytes with the largest binary unit that divides them exactly.
 * @example
 * formatSize(1_048_576) // '1mb'
 */
export function formatSize(bytes: number): string {
  return formatWith(bytes, SIZE_UNITS, ['tb', 'gb', 'mb', 'kb', 'b']);
}
