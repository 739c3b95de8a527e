import { queueNameFromUrl } from '../../../lib/aws/queueReference.js';

/**
 * The resources the console found (in a stack, in the local runtime, or around queues named on the
 * command line), before they are sorted into consumers. Plain data, so the sorting is one pure function.
 */
export interface Inventory {
  readonly queues: readonly InventoryQueue[];
  readonly mappings: readonly InventoryMapping[];
  /** Redrive functions' configurations: which DLQ each drains and where it parks. */
  readonly redriveFunctions: readonly InventoryRedriveFunction[];
  readonly alarms: readonly InventoryAlarm[];
  /** What could not be read while looking, one sentence each. */
  readonly problems: readonly string[];
}

export interface InventoryQueue {
  readonly url: string;
  readonly arn: string;
  /** The queue's own redrive policy target: set on work queues, never on a DLQ or a parking queue. */
  readonly deadLetterTargetArn?: string | undefined;
  /** Named by the operator as a work queue (`--queue`), whatever its redrive policy says. */
  readonly named?: boolean;
}

export interface InventoryMapping {
  readonly uuid: string;
  readonly queueArn: string;
  readonly functionName: string;
}

export interface InventoryRedriveFunction {
  readonly functionName: string;
  readonly dlqUrl: string;
  readonly parkingQueueUrl?: string | undefined;
  readonly alarmNames: readonly string[];
}

export interface InventoryAlarm {
  readonly name: string;
  /** Every dimension of the alarm's metrics (metric math included). */
  readonly dimensions: readonly { readonly name: string; readonly value: string }[];
  /** Composite alarms: the rule naming other alarms. */
  readonly rule?: string | undefined;
}

/** One consumer: a work queue with what serves it. */
export interface ConsumerDefinition {
  /** Stable within a console session, safe in a URL: the work queue's name. */
  readonly id: string;
  readonly name: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly dlqUrl: string | undefined;
  readonly dlqArn: string | undefined;
  readonly parkingQueueUrl: string | undefined;
  readonly mappingUuids: readonly string[];
  readonly functionNames: readonly string[];
  readonly alarmNames: readonly string[];
}

/**
 * Sorts an inventory into consumers. A work queue is a queue named by the operator, consumed by an event
 * source mapping, or with a redrive policy; its DLQ is its redrive policy's target; its parking queue is
 * the one the redrive function draining that DLQ parks in. Its alarms are those whose metrics name one of
 * its queues or functions (QueueName, FunctionName dimensions), those its redrive function watches, and
 * the composite alarms built on any of them.
 */
export function groupConsumers(inventory: Inventory): ConsumerDefinition[] {
  const byArn = new Map(inventory.queues.map((queue) => [queue.arn, queue]));
  const deadLetterArns = new Set(inventory.queues.flatMap((queue) => queue.deadLetterTargetArn ?? []));
  const consumed = new Set(inventory.mappings.map((mapping) => mapping.queueArn));
  const workQueues = inventory.queues.filter(
    (queue) =>
      queue.named === true ||
      (!deadLetterArns.has(queue.arn) &&
        (consumed.has(queue.arn) || queue.deadLetterTargetArn !== undefined)),
  );
  return workQueues.map((queue) => {
    const dlq = queue.deadLetterTargetArn === undefined ? undefined : byArn.get(queue.deadLetterTargetArn);
    const dlqUrl = dlq?.url;
    const mappings = inventory.mappings.filter((mapping) => mapping.queueArn === queue.arn);
    const redrivers = inventory.redriveFunctions.filter(
      (fn) => dlqUrl !== undefined && sameQueue(fn.dlqUrl, dlqUrl),
    );
    const parkingQueueUrl = redrivers.find((fn) => fn.parkingQueueUrl !== undefined)?.parkingQueueUrl;
    const functionNames = [...new Set(mappings.map((mapping) => mapping.functionName))];
    const name = queueNameFromUrl(queue.url);
    return {
      id: name,
      name,
      queueUrl: queue.url,
      queueArn: queue.arn,
      dlqUrl,
      dlqArn: dlq?.arn,
      parkingQueueUrl,
      mappingUuids: mappings.map((mapping) => mapping.uuid),
      functionNames,
      alarmNames: alarmsOf(
        inventory.alarms,
        new Set(
          [queue.url, dlqUrl, parkingQueueUrl].flatMap((url) =>
            url === undefined ? [] : queueNameFromUrl(url),
          ),
        ),
        new Set([...functionNames, ...redrivers.map((fn) => fn.functionName)]),
        new Set(redrivers.flatMap((fn) => fn.alarmNames)),
      ),
    };
  });
}

function alarmsOf(
  alarms: readonly InventoryAlarm[],
  queueNames: ReadonlySet<string>,
  functionNames: ReadonlySet<string>,
  watched: ReadonlySet<string>,
): string[] {
  const mine = new Set(
    alarms
      .filter(
        (alarm) =>
          watched.has(alarm.name) ||
          alarm.dimensions.some(
            (dimension) =>
              (dimension.name === 'QueueName' && queueNames.has(dimension.value)) ||
              (dimension.name === 'FunctionName' && functionNames.has(dimension.value)),
          ),
      )
      .map((alarm) => alarm.name),
  );
  // Composite alarms built on ours are ours too (and those built on them, as far as they go).
  for (let grew = true; grew; ) {
    grew = false;
    for (const alarm of alarms) {
      if (alarm.rule === undefined || mine.has(alarm.name)) continue;
      if ([...mine].some((name) => alarm.rule?.includes(name))) {
        mine.add(alarm.name);
        grew = true;
      }
    }
  }
  return alarms.filter((alarm) => mine.has(alarm.name)).map((alarm) => alarm.name);
}

/** Queue URLs name one queue whatever their host spelling (sqs.<region>.amazonaws.com, a local endpoint). */
function sameQueue(a: string, b: string): boolean {
  return a === b || new URL(a).pathname === new URL(b).pathname;
}
