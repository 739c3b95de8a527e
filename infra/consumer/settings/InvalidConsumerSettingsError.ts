/**
 * One setting that cannot work: the prop, the value given (or derived) and what AWS or the math allows.
 *
 * @example
 * { prop: 'circuitBreaker.cooldown', value: '0 s', allowed: 'whole seconds from 1 s to 1 day' }
 */
export interface SettingProblem {
  /** The prop path, as written in FailsafeConsumerProps (`failsafe.deadLetter.maxReceiveCount`). */
  readonly prop: string;
  /** The value in human units. */
  readonly value: string;
  /** The allowed range or relation, and why. */
  readonly allowed: string;
  /** The setup rule it breaks (lib/setupRules), when it is one of theirs. */
  readonly rule?: string;
}

/**
 * Thrown while the construct is built, before any resource exists, listing every problem at once so a
 * user fixes them in one pass.
 *
 * @example
 * try {
 *   new FailsafeConsumer(stack, 'Orders', { batchSize: 20, fifo: true });
 * } catch (error) {
 *   if (error instanceof InvalidConsumerSettingsError) console.error(error.problems.map((p) => p.prop)); // ['batchSize']
 * }
 */
export class InvalidConsumerSettingsError extends Error {
  override name = 'InvalidConsumerSettingsError';
  /** The problems, for programs; the message lists them for people. */
  declare readonly problems: readonly SettingProblem[];

  constructor(constructPath: string, problems: readonly SettingProblem[]) {
    const lines = problems.map((problem) => `  - ${problem.prop} = ${problem.value}: ${problem.allowed}`);
    super(
      `FailsafeConsumer ${constructPath}: ${problems.length} invalid setting${problems.length === 1 ? '' : 's'}\n${lines.join('\n')}`,
      { cause: { package: 'sqs-failsafe', data: { constructPath } } },
    );
    // Not enumerable, so that Node does not print every problem a second time under the message.
    Object.defineProperty(this, 'problems', { value: problems, enumerable: false });
  }
}
