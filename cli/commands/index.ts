import type { Command } from 'commander';

/**
 * Adds one subcommand to the program. Each subcommand lives in its own file in this folder and exports one
 * of these, so adding `redrive`, `peek` or `stats` is a new file and one line in COMMANDS.
 *
 * @example
 * export const registerPeek: RegisterCommand = (program) => {
 *   program.command('peek').description('show messages in a DLQ without taking them').action(peek);
 * };
 */
export type RegisterCommand = (program: Command) => void;

/** The subcommands, in the order `--help` lists them. */
export const COMMANDS: readonly RegisterCommand[] = [];
