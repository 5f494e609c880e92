/** The command line of bench/run.ts. Pure. */
export interface BenchArgs {
  quick: boolean;
  /** Benchmarks to run, in the order given by `all`. */
  only: string[];
  help: boolean;
}

export const USAGE = `Usage: npm run bench -- [--quick] [--only <name>[,<name>...]]

  --quick          a few iterations of each benchmark (checks they work; writes nothing)
  --only <names>   run only these benchmarks (comma-separated, or repeat the flag)
  --help           this text

The full run (no --quick) writes its figures into docs/performance.md.`;

export function parseArgs(argv: readonly string[], all: readonly string[]): BenchArgs {
  const args: BenchArgs = { quick: false, only: [], help: false };
  const chosen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') args.quick = true;
    else if (arg === '--help' || arg === '-h') args.help = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      if (!value) throw new Error('--only needs a benchmark name');
      for (const name of value.split(',').map((part) => part.trim()).filter(Boolean)) {
        if (!all.includes(name)) throw new Error(`unknown benchmark "${name}": expected one of ${all.join(', ')}`);
        chosen.add(name);
      }
    } else {
      throw new Error(`unknown argument "${arg}"`);
    }
  }
  args.only = chosen.size ? all.filter((name) => chosen.has(name)) : [...all];
  return args;
}
