/**
 * Dependency hygiene: a lockfile must exist, and only packages on an explicit
 * allow-list may run install scripts (an install script is arbitrary code run
 * on every developer's and CI's machine at `npm ci`).
 */

export interface LockPackage {
  version?: string;
  hasInstallScript?: boolean;
  dev?: boolean;
  optional?: boolean;
}

export interface Lockfile {
  lockfileVersion?: number;
  packages?: Record<string, LockPackage>;
}

export interface HygieneFinding {
  kind: 'no-lockfile' | 'old-lockfile' | 'install-script' | 'stale-allowance';
  message: string;
}

/** The name of the package at a lockfile key such as `node_modules/a/node_modules/@s/b`. */
export function packageNameOf(lockKey: string): string {
  const at = lockKey.lastIndexOf('node_modules/');
  return at === -1 ? lockKey : lockKey.slice(at + 'node_modules/'.length);
}

/**
 * Checks a parsed lockfile against the allow-list from package.json's
 * `allowScripts` (`true` = may run, `false` = denied: npm skips its scripts).
 * @example
 * checkHygiene(lock, { node: true, 'cpu-features': false }); // [] when clean
 */
export function checkHygiene(lock: Lockfile | undefined, allowScripts: Record<string, boolean>): HygieneFinding[] {
  if (!lock) return [{ kind: 'no-lockfile', message: 'package-lock.json is missing: installs are not reproducible' }];
  const findings: HygieneFinding[] = [];
  if ((lock.lockfileVersion ?? 0) < 3) {
    findings.push({ kind: 'old-lockfile', message: `lockfileVersion ${lock.lockfileVersion ?? 'absent'} < 3: regenerate with npm 9+` });
  }
  const withScripts = new Set<string>();
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (key === '' || !entry.hasInstallScript) continue;
    const name = packageNameOf(key);
    withScripts.add(name);
    // Own keys only: `in` would count Object.prototype, allowing a package named `constructor`.
    if (!Object.hasOwn(allowScripts, name)) {
      findings.push({ kind: 'install-script', message: `${name}@${entry.version ?? '?'} has an install script that is neither allowed nor denied in package.json allowScripts` });
    }
  }
  for (const name of Object.keys(allowScripts)) {
    if (!withScripts.has(name)) {
      findings.push({ kind: 'stale-allowance', message: `allowScripts lists ${name}, which no longer has an install script: remove it` });
    }
  }
  return findings;
}
