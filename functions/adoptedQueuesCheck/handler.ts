import { createAdoptedQueuesCheckHandler } from '../../lib/adoptedQueues/createAdoptedQueuesCheckHandler.js';

/**
 * The deploy-time check of queues FailsafeConsumer adopted (`existingQueue`): a CloudFormation custom resource
 * that reads them and fails the deployment when they are not what the construct was built for
 * (docs/construct.md, "Existing queues").
 */
export const handler = createAdoptedQueuesCheckHandler();
