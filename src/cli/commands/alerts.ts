import { Command } from 'commander';

/** `cairn alerts create | list | test | history | ack` (issue 8). Placeholder. */
export function alertsCommand(): Command {
  return new Command('alerts').description(
    'alert rules, their history and delivery (not built yet)',
  );
}
