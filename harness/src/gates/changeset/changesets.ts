/**
 * Reads changeset files (`.changeset/<name>.md`, @changesets/cli format): a
 * front matter of `"<package>": major|minor|patch|none` lines, then a summary.
 */
export type Bump = 'none' | 'patch' | 'minor' | 'major';

const RANK: Record<Bump, number> = { none: 0, patch: 1, minor: 2, major: 3 };
const LINE = /^\s*(["']?)(@?[\w.-]+(?:\/[\w.-]+)?)\1\s*:\s*(major|minor|patch|none)\s*$/;

export interface ParsedChangeset {
  releases: Map<string, Bump>;
  problems: string[];
}

/**
 * @example
 * parseChangeset('x.md', '---\n"@rampart/vault": major\n---\n\nDrop v1 keys.').releases.get('@rampart/vault'); // 'major'
 */
export function parseChangeset(file: string, text: string): ParsedChangeset {
  const releases = new Map<string, Bump>();
  const match = /^---\r?\n([\s\S]*?)\r?\n?---/.exec(text);
  if (!match) return { releases, problems: [`${file}: no front matter (---) naming packages and bump types`] };
  const problems: string[] = [];
  for (const line of (match[1] ?? '').split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const parsed = LINE.exec(line);
    if (parsed?.[2] && parsed[3]) releases.set(parsed[2], parsed[3] as Bump);
    else problems.push(`${file}: cannot read "${line.trim()}" (expected "<package>": major|minor|patch)`);
  }
  return { releases, problems };
}

/** The highest bump the given changesets ask for a package, or undefined if none names it. */
export function bumpFor(changesets: readonly ParsedChangeset[], name: string): Bump | undefined {
  let best: Bump | undefined;
  for (const changeset of changesets) {
    const bump = changeset.releases.get(name);
    if (bump && (best === undefined || RANK[bump] > RANK[best])) best = bump;
  }
  return best;
}
