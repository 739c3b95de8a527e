import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';

/** One resource of a deployed stack: its CloudFormation type and physical id (a queue's URL, a mapping's UUID). */
export interface StackResource {
  readonly type: string;
  readonly physicalId: string;
}

/**
 * Every resource of a deployed stack (ListStackResources, every page; nested stacks are not followed). The SDK
 * module is imported on the first call. Needs cloudformation:ListStackResources.
 *
 * @example
 * const queues = (await listStackResources('Orders')).filter((r) => r.type === 'AWS::SQS::Queue');
 */
export async function listStackResources(
  stackName: string,
  client?: CloudFormationClient,
): Promise<StackResource[]> {
  const { CloudFormationClient, ListStackResourcesCommand } = await import('@aws-sdk/client-cloudformation');
  const cloudFormation = client ?? new CloudFormationClient({});
  const resources: StackResource[] = [];
  let token: string | undefined;
  do {
    const page = await cloudFormation.send(
      new ListStackResourcesCommand({ StackName: stackName, NextToken: token }),
    );
    for (const summary of page.StackResourceSummaries ?? []) {
      if (summary.ResourceType !== undefined && summary.PhysicalResourceId !== undefined)
        resources.push({ type: summary.ResourceType, physicalId: summary.PhysicalResourceId });
    }
    token = page.NextToken;
  } while (token !== undefined);
  return resources;
}
