/**
 * Reads a mutation-testing-report-schema JSON report (what Stryker's json
 * reporter writes) into a score and the surviving mutants a developer acts on.
 */

export interface Survivor {
  file: string;
  line: number;
  mutator: string;
  status: 'Survived' | 'NoCoverage';
  replacement?: string;
}

export interface MutationSummary {
  /** Mutation score in percent over covered and uncovered valid mutants (Stryker's `mutationScore`). */
  score: number;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** Compile/runtime errors and ignored mutants: not part of the score. */
  invalid: number;
  survivors: Survivor[];
}

interface ReportMutant {
  mutatorName: string;
  status: string;
  replacement?: string;
  location: { start: { line: number } };
}

export interface MutationReport {
  files: Record<string, { mutants: ReportMutant[] }>;
}

/**
 * @example
 * summarize(JSON.parse(readFileSync('reports/mutation/vault/mutation.json', 'utf8')));
 */
export function summarize(report: MutationReport): MutationSummary {
  const out: MutationSummary = { score: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0, invalid: 0, survivors: [] };
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const mutant of mutants) {
      switch (mutant.status) {
        case 'Killed':
          out.killed++;
          break;
        case 'Timeout':
          out.timeout++;
          break;
        case 'Survived':
        case 'NoCoverage': {
          if (mutant.status === 'Survived') out.survived++;
          else out.noCoverage++;
          const survivor: Survivor = { file, line: mutant.location.start.line, mutator: mutant.mutatorName, status: mutant.status };
          if (mutant.replacement !== undefined) survivor.replacement = mutant.replacement;
          out.survivors.push(survivor);
          break;
        }
        default:
          out.invalid++;
      }
    }
  }
  const detected = out.killed + out.timeout;
  const valid = detected + out.survived + out.noCoverage;
  // no valid mutant means nothing was proven: score 0, never a free 100
  out.score = valid === 0 ? 0 : Math.floor((detected / valid) * 10_000) / 100;
  out.survivors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.mutator.localeCompare(b.mutator));
  return out;
}
