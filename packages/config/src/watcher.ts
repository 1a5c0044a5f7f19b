import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ConfigError } from './errors.ts';

/** A running file watcher; `close()` stops every watch and pending timer. */
export interface FileWatch {
  close(): void;
}

/**
 * Watches files through their directories (editors save by rename, which would
 * orphan a watch on the file itself) and calls `onChange` once per burst of
 * events, `debounceMs` after the last one.
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
  const watchers: FSWatcher[] = [];
  const close = (): void => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
  try {
    for (const [dir, names] of byDir) {
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        // Stryker disable next-line ConditionalExpression: Linux and macOS always pass the name; null comes only from other platforms
        if (name === null || names.has(basename(name))) trigger();
      });
      watcher.on('error', (error) => onError(new ConfigError('CONFIG_ERR_WATCH', { message: `watching ${dir} failed`, cause: error, details: { source: dir } })));
      watchers.push(watcher);
    }
  } catch (error) {
    close();
    throw new ConfigError('CONFIG_ERR_WATCH', { message: 'cannot watch configuration files', cause: error });
  }
  return { close };
}
