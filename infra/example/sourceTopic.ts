/**
 * The example's fan-out topology (`topology: fanout`), as the local runtime's demo needs to know it: the output
 * naming the producers' topic, and the value of the message attribute `kind` its subscription admits. A module
 * of its own so the demo reads them without loading the CDK.
 */
export const SOURCE_TOPIC_OUTPUT = 'SourceTopicArn';
export const SOURCE_TASK_KIND = 'task';
