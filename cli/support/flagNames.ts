/**
 * The redrive engine's option names as the CLI spells them: its messages ("parkingQueue: needs
 * maxRedrivesPerMessage") are written for library users, and a CLI user must read the flags to change
 * ("--parking-queue: needs --max-redrives").
 */
const FLAGS: Readonly<Record<string, string>> = {
  maxRedrivesPerMessage: '--max-redrives',
  confirmUnpairedSource: '--confirm-unpaired-source',
  parkingQueue: '--parking-queue',
  maxMessages: '--max',
  ratePerSecond: '--rate',
  timeBudgetMs: '--time-budget',
  visibilityTimeoutSeconds: '--visibility-timeout',
  dryRun: '--dry-run',
};

/** Names that are also plain words, replaced only where a problem starts with them (`source: ...`). */
const LEADING_FLAGS: Readonly<Record<string, string>> = {
  ...FLAGS,
  dlq: '<dlq>',
  source: '--source',
  strategy: '--strategy',
  concurrency: '--concurrency',
  filter: '--filter',
  max: '--max',
  sample: '--sample',
  queue: '<queue>',
};

const ANYWHERE = new RegExp(`\\b(${Object.keys(FLAGS).join('|')})\\b`, 'g');
const LEADING = new RegExp(`^(${Object.keys(LEADING_FLAGS).join('|')})(?=[[.:])`);

/**
 * @example
 * withFlagNames('parkingQueue: needs maxRedrivesPerMessage') // '--parking-queue: needs --max-redrives'
 */
export function withFlagNames(text: string): string {
  return text
    .replace(LEADING, (name) => LEADING_FLAGS[name] ?? name)
    .replace(ANYWHERE, (name) => FLAGS[name] ?? name);
}
