import { afterEach, describe, expect, it, vi } from 'vitest';
import { recordingSink } from '../test-support/sinks.ts';
import { formatDuration, table } from './format.ts';
import { Progress } from './progress.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('Progress', () => {
  it('prints plain lines when not live', () => {
    const out = recordingSink();
    const progress = new Progress(out, { live: false, color: false, now: () => 0 });
    progress.begin('lint');
    progress.line('src/a.ts: ok');
    progress.end('lint', 'failed', '2 errors', 65_000);
    progress.end('bench', 'skipped', 'skipped (--skip)', 0);
    expect(out.text).toBe('▶ lint\nsrc/a.ts: ok\n✖ lint: failed in 1m 05s (2 errors)\n○ bench: skipped (skipped (--skip))\n');
  });

  it('redraws one status line with the elapsed time, keeping output lines above it', () => {
    vi.useFakeTimers();
    const out = recordingSink(true);
    let t = 0;
    const progress = new Progress(out, { live: true, color: false, now: () => t, tickMs: 100 });
    progress.begin('test');
    expect(out.text).toBe('\r\u001b[2K⠋ test 0ms');
    t = 2_000;
    vi.advanceTimersByTime(100);
    expect(out.text.endsWith('\r\u001b[2K⠙ test 2.0s')).toBe(true);
    out.text = '';
    progress.line('✓ a.test.ts');
    expect(out.text).toBe('\r\u001b[2K✓ a.test.ts\n\r\u001b[2K⠹ test 2.0s');
    out.text = '';
    progress.end('test', 'passed', '3 passed', 2_000);
    expect(out.text).toBe('\r\u001b[2K✔ test: passed in 2.0s (3 passed)\n');
    out.text = '';
    vi.advanceTimersByTime(1_000);
    progress.line('after');
    expect(out.text).toBe('after\n');
  });

  it('colours status words and marks only when asked', () => {
    const out = recordingSink(true);
    const progress = new Progress(out, { live: false, color: true, now: () => 0 });
    expect(progress.status('passed')).toBe('\u001b[32mpassed\u001b[39m');
    expect(progress.status('failed')).toBe('\u001b[31mfailed\u001b[39m');
    expect(progress.status('skipped')).toBe('\u001b[33mskipped\u001b[39m');
    progress.end('lint', 'passed', 'clean', 10);
    expect(out.text).toBe('\u001b[32m✔\u001b[39m lint: \u001b[32mpassed\u001b[39m in 10ms (clean)\n');
  });
});

describe('formatDuration', () => {
  it.each([
    [-5, '0ms'],
    [999.4, '999ms'],
    [1_000, '1.0s'],
    [59_949, '59.9s'],
    [60_000, '1m 00s'],
    [3_725_000, '62m 05s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('table', () => {
  it('pads columns to the widest visible cell, ignoring colour codes, and trims the last', () => {
    expect(table([['Gate', 'Status', 'Key'], ['typecheck', '\u001b[32mok\u001b[39m', 'x'], ['a', 'failed', '']])).toEqual([
      'Gate       Status  Key',
      'typecheck  \u001b[32mok\u001b[39m      x',
      'a          failed',
    ]);
  });
});
