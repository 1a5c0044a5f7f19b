import { describe, expect, it } from 'vitest';
import { formatDuration, formatSize, parseDuration, parseSize } from './units.ts';

describe('parseDuration', () => {
  it.each([
    ['1500', 1500],
    ['1.5', 1.5],
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1h 30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['2d', 172_800_000],
    ['1w', 604_800_000],
    [' 10 S ', 10_000],
    ['1.25', 1.25],
    ['1.25h', 4_500_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'abc', '10x', '-5s', '5s junk', 's', '1e3s', '1h5', 'x5'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('parseSize', () => {
  it.each([
    ['1024', 1024],
    ['512b', 512],
    ['64kb', 65_536],
    ['64KiB', 65_536],
    ['10mb', 10_485_760],
    ['1 GiB', 1_073_741_824],
    ['2tb', 2 * 1024 ** 4],
    ['1.5kb', 1536],
    ['1.25kb', 1280],
    [' 1KB ', 1024],
    ['1kib', 1024],
    ['1mib', 1024 ** 2],
    ['1gb', 1024 ** 3],
    ['1tib', 1024 ** 4],
  ])('%s → %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(['', 'kb', '10xb', '-1kb', '1.3b', '99999999999999tb', '1kb!', 'x1kb', '1zb'])('refuses %j', (text) => {
    expect(parseSize(text)).toBeUndefined();
  });
});

describe('formatDuration / formatSize', () => {
  it('uses the largest exact unit', () => {
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(1_209_600_000)).toBe('2w');
    expect(formatDuration(1)).toBe('1ms');
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(1.5)).toBe('1.5ms');
    expect(formatSize(1_048_576)).toBe('1mb');
    expect(formatSize(1536)).toBe('1536b');
    expect(formatSize(0)).toBe('0b');
    expect(formatSize(2 * 1024 ** 4)).toBe('2tb');
  });

  it('round-trips through the parsers', () => {
    for (const ms of [0, 1, 999, 1000, 61_000, 7_200_000, 86_400_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
    for (const bytes of [0, 1, 1023, 1024, 5 * 1024 ** 3]) expect(parseSize(formatSize(bytes))).toBe(bytes);
  });
});
