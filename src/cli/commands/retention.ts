import { Command } from 'commander';

/** `cairn retention show | set | apply [--dry-run]` (issue 8). Placeholder. */
export function retentionCommand(): Command {
  return new Command('retention').description('retention policies (not built yet)');
}
