import type { Command } from 'commander';
import { registerConsoleCommand } from './console.js';
import { registerDoctorCommand } from './doctor.js';
import { registerPeekCommand } from './peek.js';
import { registerRedriveCommand } from './redrive.js';
import { registerStatsCommand } from './stats.js';

/**
 * Adds one subcommand to the program. Each subcommand lives in its own file in this folder and exports one
 * of these, so adding a command is a new file and one line in COMMANDS.
 */
export type RegisterCommand = (program: Command) => void;

/** The subcommands, in the order `--help` lists them. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerRedriveCommand,
  registerPeekCommand,
  registerStatsCommand,
  registerConsoleCommand,
  registerDoctorCommand,
];
