/**
 * A gate that is one command (`npm run typecheck`): it passes when the
 * command exits 0, streams the command's output live, and condenses that
 * output into the key figure of the summary table. The command is fixed, so
 * the gate refuses any argument it is given (`HARNESS_ERR_USAGE`).
 */
import type { Gate, GateResult } from '../../gate.ts';
import { refuseArguments } from '../arguments.ts';

export interface CommandGateSpec {
  name: string;
  description: string;
  command: string;
  args: readonly string[];
  /** Key figure and numbers taken from the command's output. */
  summarize(output: string, code: number): { summary: string; figures: Record<string, number> };
}

/** How many trailing output lines a failed gate keeps in the report. */
const TAIL_LINES = 40;

/**
 * @example
 * const gate = commandGate({ name: 'typecheck', description: 'tsc', command: 'npm', args: ['run', 'typecheck'], summarize });
 */
export function commandGate(spec: CommandGateSpec): Gate {
  return {
    name: spec.name,
    description: spec.description,
    async run(context): Promise<GateResult> {
      // The command is fixed: an argument would be ignored, so it is refused.
      refuseArguments(spec.name, context.argv);
      const result = await context.exec(spec.command, spec.args, { stream: true });
      const output = `${result.stdout}${result.stderr}`;
      const { summary, figures } = spec.summarize(output, result.code);
      const passed = result.code === 0;
      return {
        status: passed ? 'passed' : 'failed',
        summary,
        figures: { exitCode: result.code, ...figures },
        ...(passed ? {} : { details: tail(output) }),
      };
    },
  };
}

/**
 * TypeScript diagnostics in compiler output (`file.ts(3,1): error TS2322: ...`).
 * @example
 * countTsErrors('a.ts(1,1): error TS2322: x'); // 1
 */
export function countTsErrors(output: string): number {
  return output.match(/\berror TS\d+:/g)?.length ?? 0;
}

function tail(output: string): string[] {
  // npm's own chatter (`> script`, `npm warn ...`) says nothing about the failure.
  const lines = output.split(/\r?\n/).filter((line) => line.trim() !== '' && !/^(> |npm (warn|notice|error) )/.test(line));
  return lines.slice(-TAIL_LINES);
}
