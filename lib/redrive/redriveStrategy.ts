/**
 * `manual`: receive from the DLQ, send to the source, delete from the DLQ, here, with every option.
 * `native`: SQS's own message move task (StartMessageMoveTask), which moves everything, server-side.
 */
export type RedriveStrategy = 'manual' | 'native';

/** `auto` picks native when nothing asked for needs the manual strategy and the endpoint supports it. */
export type RedriveStrategyChoice = 'auto' | RedriveStrategy;
