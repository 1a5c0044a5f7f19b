import { realpathSync, statSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { ConfigError } from './errors.ts';

/** A running file watcher; `close()` stops every watch and pending timer. */
export interface FileWatch {
  close(): void;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    // Missing, a file where a folder should be, or unreadable: not a folder to watch (yet), so its parent is watched.
    return false;
  }
}

/**
 * The folder itself when it exists, else its nearest existing ancestor: an optional
 * file may sit in a folder that does not exist yet, and that must not fail the load.
 */
function nearestDirectory(dir: string): string {
  let current = dir;
  // Stryker disable next-line ConditionalExpression: the filesystem root always exists, so the loop ends there at the latest
  while (!isDirectory(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

/** The file a path leads to through its symlinks, or undefined while it leads nowhere. */
function targetOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

function watchError(dir: string, error: unknown): ConfigError {
  return new ConfigError('CONFIG_ERR_WATCH', { message: `watching ${dir} failed`, cause: error, details: { source: dir } });
}

/**
 * Watches files through their directories (editors save by rename, which would
 * orphan a watch on the file itself) and calls `onChange` once per burst of
 * events, `debounceMs` after the last one. A directory that does not exist yet is
 * awaited through its nearest existing ancestor, then watched once it appears.
 * @example const w = watchFiles(['/etc/app.yaml'], 100, () => void config.reload(), console.error);
 */
export function watchFiles(paths: readonly string[], debounceMs: number, onChange: () => void, onError: (error: ConfigError) => void): FileWatch {
  const byDir = new Map<string, Set<string>>();
  for (const path of paths) {
    const names = byDir.get(dirname(path)) ?? new Set<string>();
    names.add(basename(path));
    byDir.set(dirname(path), names);
  }
  let timer: NodeJS.Timeout | undefined;
  const trigger = (): void => {
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  };
  const watchers = new Set<FSWatcher>();
  const close = (): void => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
    watchers.clear();
  };
  const start = (dir: string, names: ReadonlySet<string>): void => {
    const at = nearestDirectory(dir);
    // The one entry of `at` that leads to `dir`: only its appearance matters while waiting.
    const next = at === dir ? undefined : relative(at, dir).split(sep)[0];
    // A Kubernetes ConfigMap mounts `app.yaml -> ..data/app.yaml` and updates by swapping the `..data`
    // link: the events name `..data` and `..data_tmp`, never `app.yaml`. So a watched name whose links
    // now lead to another file counts as changed, whatever the event named. Read before watching: a
    // swap in between is then seen (and at worst reloads once for nothing).
    const targets = new Map(next === undefined ? [...names].map((name) => [name, targetOf(join(dir, name))]) : []);
    const retargeted = (): boolean => {
      let moved = false;
      for (const [name, before] of targets) {
        const now = targetOf(join(dir, name));
        if (now !== before) {
          targets.set(name, now);
          moved = true;
        }
      }
      return moved;
    };
    const watcher = watch(at, { persistent: false }, (_event, name) => {
      // Stryker disable next-line ConditionalExpression: Linux and macOS always pass the name; null comes only from other platforms
      /* v8 ignore next -- a null name comes only from platforms the tests do not run on */
      const named = name === null ? undefined : basename(name);
      if (next === undefined) {
        // Checked on every event, so the recorded targets stay current.
        const moved = retargeted();
        if (named === undefined || names.has(named) || moved) trigger();
        return;
      }
      if ((named !== undefined && named !== next) || nearestDirectory(dir) === at) return;
      // A step toward the folder appeared: watch from there, and reload, since the file may already be in it.
      watcher.close();
      watchers.delete(watcher);
      try {
        start(dir, names);
      } catch (error) {
        onError(watchError(dir, error));
      }
      trigger();
    });
    watcher.on('error', (error) => onError(watchError(at, error)));
    watchers.add(watcher);
  };
  try {
    for (const [dir, names] of byDir) start(dir, names);
  } catch (error) {
    close();
    throw new ConfigError('CONFIG_ERR_WATCH', { message: 'cannot watch configuration files', cause: error });
  }
  return { close };
}
