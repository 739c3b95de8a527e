/**
 * `npm start`: the whole pipeline on the embedded SQS/SNS server. The local runtime lands with its own
 * issue; until then this says so instead of failing.
 */
console.log(
  'sqs-failsafe: the local runtime (npm start) is not available yet.\n' +
    'Run the tests with `npm test`; see README.md for the quick start.',
);
