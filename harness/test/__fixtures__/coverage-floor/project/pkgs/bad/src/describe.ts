export function describeNumber(n: number): string {
  const parts: string[] = [];
  parts.push(`value ${n}`);
  parts.push(`double ${n * 2}`);
  parts.push(`square ${n * n}`);
  parts.push(`half ${n / 2}`);
  parts.push(`next ${n + 1}`);
  parts.push(`previous ${n - 1}`);
  parts.push(`parity ${n % 2 === 0 ? 'even' : 'odd'}`);
  parts.push(`digits ${String(Math.abs(n)).length}`);
  parts.push(`sign ${Math.sign(n)}`);
  parts.push(`rounded ${Math.round(n)}`);
  parts.push(`floor ${Math.floor(n)}`);
  parts.push(`ceil ${Math.ceil(n)}`);
  if (n < 0) {
    parts.push('negative');
  }
  return parts.join(', ');
}
