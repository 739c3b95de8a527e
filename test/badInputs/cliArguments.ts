import type { BadInputCase } from './badInputCase.js';

const AWS_DLQ = 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders-dlq';

const bad = (tried: string, names: string, ...args: string[]): BadInputCase<readonly string[]> => ({
  tried,
  names,
  input: args,
});

/**
 * Bad command lines of `sqs-failsafe`: each must stop with a one-line error naming the flag, argument or queue
 * to change, a non-zero exit code, and no request sent. The region is eu-west-1 (the test environment's).
 */
export const CLI_ARGUMENT_CASES: readonly BadInputCase<readonly string[]>[] = [
  // ----- redrive -----
  bad('redrive without a DLQ', "'dlq'", 'redrive'),
  bad('an unknown option', '--bogus', 'redrive', 'orders-dlq', '--bogus'),
  bad('--max 0', '--max', 'redrive', 'orders-dlq', '--max', '0'),
  bad('--max as a word', '--max', 'redrive', 'orders-dlq', '--max', 'ten'),
  bad('--rate 0', '--rate', 'redrive', 'orders-dlq', '--rate', '0'),
  bad('--rate as a word', '--rate', 'redrive', 'orders-dlq', '--rate', 'fast'),
  bad('an unknown strategy', '--strategy', 'redrive', 'orders-dlq', '--strategy', 'fast'),
  bad('--concurrency 101', '--concurrency', 'redrive', 'orders-dlq', '--concurrency', '101'),
  bad('--max-redrives 0', '--max-redrives', 'redrive', 'orders-dlq', '--max-redrives', '0'),
  bad('--time-budget 0', '--time-budget', 'redrive', 'orders-dlq', '--time-budget', '0'),
  bad(
    '--visibility-timeout over 12 h',
    '--visibility-timeout',
    'redrive',
    'orders-dlq',
    '--visibility-timeout',
    '50000',
  ),
  bad('a filter that is no filter', '--filter', 'redrive', 'orders-dlq', '--filter', 'bogus'),
  bad('a filter on an empty error class', '--filter', 'redrive', 'orders-dlq', '--filter', 'errorClass='),
  bad(
    '--parking-queue without --max-redrives',
    '--parking-queue',
    'redrive',
    'orders-dlq',
    '--parking-queue',
    'parked',
  ),
  bad(
    '--confirm-unpaired-source without --source',
    '--confirm-unpaired-source',
    'redrive',
    'orders-dlq',
    '--confirm-unpaired-source',
  ),
  bad('the DLQ as its own source', '--source', 'redrive', 'orders-dlq', '--source', 'orders-dlq'),
  bad(
    'the parking queue as the source',
    '--parking-queue',
    'redrive',
    'orders-dlq',
    '--source',
    'orders',
    '--max-redrives',
    '2',
    '--parking-queue',
    'orders',
  ),

  // ----- peek, stats, console -----
  bad('peek without a queue', "'queue'", 'peek'),
  bad('peek --max 0', '--max', 'peek', 'orders-dlq', '--max', '0'),
  bad('peek --max 1001', '--max', 'peek', 'orders-dlq', '--max', '1001'),
  bad('stats without a queue', "'queue'", 'stats'),
  bad('console --port 70000', '--port', 'console', '--port', '70000'),

  // ----- doctor -----
  bad(
    'doctor --queue and --function together',
    '--function',
    'doctor',
    '--queue',
    'orders',
    '--function',
    'c',
  ),
  bad('doctor --function and --stack together', '--stack', 'doctor', '--function', 'c', '--stack', 'Orders'),
  bad('doctor --queue without a value', '--queue', 'doctor', '--queue'),
  bad('doctor --fail-on warn', '--fail-on', 'doctor', '--fail-on', 'warn'),
  bad('doctor --fail-on without a value', '--fail-on', 'doctor', '--fail-on'),
  bad('a typo of a doctor flag', '--queue', 'doctor', '--queu', 'orders'),
  bad(
    'doctor --queue of another region',
    '--region us-east-1',
    'doctor',
    '--queue',
    'https://sqs.us-east-1.amazonaws.com/111122223333/orders',
  ),

  // ----- where signed requests may go (issue 14: the CLI signed requests to whatever host a URL named) -----
  bad(
    'a queue URL on a plain-http listener',
    'http://127.0.0.1:9/111122223333/orders-dlq',
    'stats',
    'http://127.0.0.1:9/111122223333/orders-dlq',
  ),
  bad(
    'a queue URL on another host',
    'https://sqs.attacker.example/111122223333/orders-dlq',
    'peek',
    'https://sqs.attacker.example/111122223333/orders-dlq',
  ),
  bad(
    'an AWS queue URL over plain http',
    'http://sqs.eu-west-1.amazonaws.com/111122223333/orders-dlq',
    'stats',
    'http://sqs.eu-west-1.amazonaws.com/111122223333/orders-dlq',
  ),
  bad(
    'a source on another host',
    'https://attacker.example/111122223333/orders',
    'redrive',
    AWS_DLQ,
    '--source',
    'https://attacker.example/111122223333/orders',
  ),
  bad(
    'a parking queue on another host',
    'http://10.0.0.7/111122223333/parked',
    'redrive',
    AWS_DLQ,
    '--max-redrives',
    '2',
    '--parking-queue',
    'http://10.0.0.7/111122223333/parked',
  ),
  bad(
    'a console queue on another host',
    'https://evil.example/111122223333/orders',
    'console',
    '--queue',
    'https://evil.example/111122223333/orders',
  ),
  bad(
    '--endpoint-url over plain http to another machine',
    '--endpoint-url',
    '--endpoint-url',
    'http://10.0.0.5:4566',
    'stats',
    'orders-dlq',
  ),
  bad(
    '--endpoint-url that is no URL',
    '--endpoint-url',
    '--endpoint-url',
    'localhost 4566',
    'stats',
    'orders-dlq',
  ),
  bad(
    '--endpoint-url with another scheme',
    '--endpoint-url',
    '--endpoint-url',
    'ftp://localhost:4566',
    'stats',
    'orders-dlq',
  ),
  bad(
    'a queue URL of another region than --region',
    '--region eu-west-1',
    '--region',
    'us-east-1',
    'stats',
    AWS_DLQ,
  ),
  bad(
    'a queue ARN of another region',
    '--region eu-west-1',
    '--region',
    'us-east-1',
    'peek',
    'arn:aws:sqs:eu-west-1:111122223333:orders-dlq',
  ),
  bad(
    'queues in two regions',
    '--region',
    'stats',
    AWS_DLQ,
    'https://sqs.us-east-1.amazonaws.com/111122223333/orders-dlq',
  ),
];
