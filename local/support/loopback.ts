/**
 * The one address every server the local runtime starts listens on (the embedded SQS/SNS server, dynalite,
 * the Lambda and CloudWatch stand-ins, the fault proxy): nothing of a local run is reachable from the network.
 */
export const LOOPBACK = '127.0.0.1';
