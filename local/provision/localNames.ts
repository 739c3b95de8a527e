/** The account fauxqs uses for every resource. */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** A physical name like CloudFormation's (stack and logical id), within SQS's 80-character limit. */
export function physicalName(stackName: string, logicalId: string, fifo = false, maxLength = 80): string {
  const suffix = fifo ? '.fifo' : '';
  const base = `${stackName}-${logicalId}`.replace(/[^A-Za-z0-9_-]/g, '-');
  return `${base.slice(0, maxLength - suffix.length)}${suffix}`;
}

export const functionArn = (region: string, name: string) =>
  `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${name}`;
export const alarmArn = (region: string, name: string) =>
  `arn:aws:cloudwatch:${region}:${LOCAL_ACCOUNT_ID}:alarm:${name}`;
export const tableArn = (region: string, name: string) =>
  `arn:aws:dynamodb:${region}:${LOCAL_ACCOUNT_ID}:table/${name}`;
