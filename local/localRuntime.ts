import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import dynalite from 'dynalite';
import type { FauxqsServer, SpyMessage } from 'fauxqs';
import { AlarmEvaluator, type AlarmState, type AlarmTransition } from './alarms/alarmEvaluator.js';
import { directAlarmActionPayload, snsAlarmMessage } from './alarms/alarmPayloads.js';
import { evaluateCompositeRule } from './alarms/compositeAlarmRule.js';
import { MessageAgeClock } from './alarms/messageAgeClock.js';
import { MetricStore, recordEmbeddedMetrics } from './alarms/metricStore.js';
import { ApiCallCounter } from './apiCalls/apiCallCounter.js';
import { countSdkCalls } from './apiCalls/countSdkCalls.js';
import { readStackTemplates, type StackTemplate } from './assembly/stackTemplates.js';
import { CloudWatchApiServer } from './cloudWatchApi/cloudWatchApiServer.js';
import { EventBridgeApiServer } from './eventBridgeApi/eventBridgeApiServer.js';
import { type BatchTurn, LocalEventSourceMapping } from './eventSourceMapping/localEventSourceMapping.js';
import { AwsFaultProxy, type AwsFaultRates, NO_AWS_FAULTS } from './faults/awsFaultProxy.js';
import { invokeAsync } from './lambda/invokeAsync.js';
import { type InvocationOutcome, LocalFunction } from './lambda/localFunction.js';
import { LambdaApiServer } from './lambdaApi/lambdaApiServer.js';
import { LOCAL_ACCOUNT_ID } from './provision/localNames.js';
import type { LocalResources } from './provision/localResources.js';
import { provisionAssembly } from './provision/provisionAssembly.js';
import { SnsLambdaBridge } from './sns/snsLambdaBridge.js';
import { keepStandardQueueOrder } from './sqs/standardQueueOrder.js';
import { LOOPBACK } from './support/loopback.js';
import { startLoopbackFauxqs } from './support/startLoopbackFauxqs.js';

export interface LocalRuntimeOptions {
  /** The cloud assembly (cdk.out) to run. */
  readonly assemblyDirectory: string;
  /** Port of the embedded SQS/SNS server; 0 picks a free one. */
  readonly port: number;
  readonly region: string;
  /**
   * How much faster waiting runs than on AWS: alarm periods, schedules, asynchronous retry delays,
   * redelivery delays and queue visibility timeouts (never below the consumer's function timeout).
   */
  readonly timeScale: number;
  readonly faultRates: AwsFaultRates;
  /**
   * Added to each AWS call a function makes (SQS, SNS, DynamoDB, Lambda, CloudWatch), which locally take a
   * millisecond or less. Default 0.
   */
  readonly awsCallLatencyMs?: number;
  /**
   * The least a consumer's compressed visibility timeout may be, in real seconds. Default: the function
   * timeout + 1 s, so that a message never reappears while its invocation may still be running. A
   * benchmark whose invocations are known to be short lowers it, to keep the timeout in proportion.
   */
  readonly visibilityFloorSeconds?: number;
  /** Environment instances a function may have when the template reserves none. */
  readonly defaultConcurrency: number;
  /** Variables every function gets on top of the runtime's own (e.g. a simulated dependency's URL). */
  readonly extraEnvironment?: Readonly<Record<string, string>>;
  readonly onLogLine?: (functionName: string, line: string) => void;
  readonly onTurn?: (turn: BatchTurn) => void;
  readonly onAlarm?: (transition: AlarmTransitionEvent) => void;
  /** An event source mapping was enabled or disabled (by UpdateEventSourceMapping). */
  readonly onMappingChange?: (enabled: boolean) => void;
}

export interface AlarmTransitionEvent {
  readonly alarmName: string;
  readonly previous: AlarmState;
  readonly state: AlarmState;
  readonly reason: string;
  readonly actions: readonly string[];
}

export class LocalRuntimeError extends Error {
  override name = 'LocalRuntimeError';
}

/**
 * The synthesized stack running on a laptop: an embedded SQS/SNS server holding the template's queues,
 * topics and subscriptions; its functions run from their bundled assets; its event source mappings,
 * alarms, schedules and SNS -> Lambda subscriptions emulated; and a Lambda API for the functions' own
 * calls. Functions reach AWS through a proxy that can inject throttling and publish failures.
 */
export class LocalRuntime {
  readonly server: FauxqsServer;
  readonly resources: LocalResources;
  readonly functions: ReadonlyMap<string, LocalFunction>;
  readonly mappings: readonly LocalEventSourceMapping[];
  readonly metrics: MetricStore;
  readonly proxy: AwsFaultProxy;
  /** Every AWS call the functions and the event source mappings made since the runtime started. */
  readonly apiCalls: ApiCallCounter;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly #options: LocalRuntimeOptions;
  readonly #lambdaApi: LambdaApiServer;
  readonly #cloudWatchApi: CloudWatchApiServer;
  readonly #eventBridgeApi: EventBridgeApiServer;
  readonly #dynamo: LocalDynamo | undefined;
  readonly #dynamoProxy: AwsFaultProxy | undefined;
  readonly #pollerSqs: SQSClient;
  readonly #bridge: SnsLambdaBridge;
  readonly #alarms: AlarmEvaluator;
  readonly #compositeStates = new Map<string, AlarmState>();
  readonly #timers: ReturnType<typeof setInterval>[] = [];
  readonly #asyncInvocations = new Set<Promise<unknown>>();
  /** Per consumed queue, message ages as AWS would count them (see MessageAgeClock). */
  readonly #ageClocks = new Map<string, MessageAgeClock>();

  private constructor(parts: {
    options: LocalRuntimeOptions;
    server: FauxqsServer;
    resources: LocalResources;
    functions: Map<string, LocalFunction>;
    mappings: LocalEventSourceMapping[];
    metrics: MetricStore;
    proxy: AwsFaultProxy;
    lambdaApi: LambdaApiServer;
    cloudWatchApi: CloudWatchApiServer;
    eventBridgeApi: EventBridgeApiServer;
    dynamo: LocalDynamo | undefined;
    dynamoProxy: AwsFaultProxy | undefined;
    apiCalls: ApiCallCounter;
    pollerSqs: SQSClient;
    bridge: SnsLambdaBridge;
    sqs: SQSClient;
    sns: SNSClient;
  }) {
    this.#options = parts.options;
    this.server = parts.server;
    this.resources = parts.resources;
    this.functions = parts.functions;
    this.mappings = parts.mappings;
    this.metrics = parts.metrics;
    this.proxy = parts.proxy;
    this.#lambdaApi = parts.lambdaApi;
    this.#cloudWatchApi = parts.cloudWatchApi;
    this.#eventBridgeApi = parts.eventBridgeApi;
    this.#dynamo = parts.dynamo;
    this.#dynamoProxy = parts.dynamoProxy;
    this.apiCalls = parts.apiCalls;
    this.#pollerSqs = parts.pollerSqs;
    this.#bridge = parts.bridge;
    this.sqs = parts.sqs;
    this.sns = parts.sns;
    this.#alarms = new AlarmEvaluator(parts.resources.alarms, parts.metrics, parts.options.timeScale);
  }

  /** The endpoint of the embedded server, for the CLI or an SDK (AWS_ENDPOINT_URL). */
  get endpoint(): string {
    return this.server.address;
  }

  /** The local Lambda API the functions reach through AWS_ENDPOINT_URL_LAMBDA. */
  get lambdaEndpoint(): string {
    return this.#lambdaApi.endpoint;
  }

  /** The local CloudWatch API (DescribeAlarms) the functions reach through AWS_ENDPOINT_URL_CLOUDWATCH. */
  get cloudWatchEndpoint(): string {
    return this.#cloudWatchApi.endpoint;
  }

  /** The local EventBridge API (the schedules it runs) that doctor reads through AWS_ENDPOINT_URL_EVENTBRIDGE. */
  get eventBridgeEndpoint(): string {
    return this.#eventBridgeApi.endpoint;
  }

  get alarmStates(): ReadonlyMap<string, AlarmState> {
    const states = new Map<string, AlarmState>();
    for (const alarm of this.resources.alarms)
      states.set(alarm.name, this.#alarms.state(alarm.name) ?? 'INSUFFICIENT_DATA');
    for (const [name, state] of this.#compositeStates) states.set(name, state);
    return states;
  }

  static async start(options: LocalRuntimeOptions): Promise<LocalRuntime> {
    if (!existsSync(`${options.assemblyDirectory}/manifest.json`)) {
      throw new LocalRuntimeError(
        `No cloud assembly at ${options.assemblyDirectory} (manifest.json is missing): synthesize first.`,
      );
    }
    const stacks = readStackTemplates(options.assemblyDirectory);
    // Retries come back among the backlog, as on AWS, not all behind it: the alarms read what AWS would see.
    await keepStandardQueueOrder();
    const server = await startLoopbackFauxqs({
      port: options.port,
      logger: false,
      defaultRegion: options.region,
      messageSpies: { bufferSize: 10_000_000 },
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        throw new LocalRuntimeError(
          `Port ${options.port} is in use: stop what holds it, or pass --port 0 for a free port.`,
        );
      }
      throw error;
    });
    const dynamo = hasTables(stacks) ? await startLocalDynamo(options.region) : undefined;
    try {
      const clientConfig = {
        region: options.region,
        endpoint: server.address,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      };
      const sqs = new SQSClient({ ...clientConfig, useQueueUrlAsEndpoint: false });
      const sns = new SNSClient(clientConfig);
      const resources = await provisionAssembly(
        stacks,
        { sqs, sns, dynamodb: dynamo?.client },
        options.region,
      );
      if (resources.functions.size === 0) {
        throw new LocalRuntimeError(
          'Nothing to run: the template has no Node.js Lambda function with a bundled asset. Check the app in cdk.json.',
        );
      }
      const metrics = new MetricStore();
      const apiCalls = new ApiCallCounter();
      const proxyOptions = { counter: apiCalls, latencyMs: options.awsCallLatencyMs };
      const proxy = new AwsFaultProxy(
        new URL(server.address),
        options.faultRates,
        options.timeScale,
        Math.random,
        proxyOptions,
      );
      await proxy.listen();
      // The functions reach DynamoDB through a proxy too, so that their table calls are counted and delayed.
      const dynamoProxy =
        dynamo === undefined
          ? undefined
          : new AwsFaultProxy(
              new URL(dynamo.endpoint),
              NO_AWS_FAULTS,
              options.timeScale,
              Math.random,
              proxyOptions,
            );
      await dynamoProxy?.listen();
      // The pollers' own client: their receives and deletes are billed requests against the queue
      // (docs/aws-semantics.md#sqs-request-billing), so they are counted.
      const pollerSqs = countSdkCalls(
        new SQSClient({ ...clientConfig, useQueueUrlAsEndpoint: false }),
        apiCalls,
        'event-source-mapping',
      );

      const functions = new Map<string, LocalFunction>();
      const mappings: LocalEventSourceMapping[] = [];
      const lambdaApi = new LambdaApiServer(functions, mappings, options.region, options.timeScale, apiCalls);
      await lambdaApi.listen();
      const states = { of: (_name: string): AlarmState => 'INSUFFICIENT_DATA' };
      const cloudWatchApi = new CloudWatchApiServer(
        resources.alarms,
        resources.compositeAlarms,
        (name) => states.of(name),
        apiCalls,
      );
      await cloudWatchApi.listen();
      const eventBridgeApi = new EventBridgeApiServer(resources.schedules, options.region, apiCalls);
      await eventBridgeApi.listen();
      const baseEnvironment = {
        AWS_REGION: options.region,
        AWS_DEFAULT_REGION: options.region,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_SESSION_TOKEN: 'local',
        AWS_ENDPOINT_URL: proxy.endpoint,
        AWS_ENDPOINT_URL_LAMBDA: lambdaApi.endpoint,
        AWS_ENDPOINT_URL_CLOUDWATCH: cloudWatchApi.endpoint,
        ...(dynamoProxy === undefined ? {} : { AWS_ENDPOINT_URL_DYNAMODB: dynamoProxy.endpoint }),
        TZ: 'UTC',
        ...(process.env.POWERTOOLS_LOG_LEVEL === undefined
          ? {}
          : { POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL }),
        ...options.extraEnvironment,
      };
      for (const spec of resources.functions.values()) {
        functions.set(
          spec.name,
          new LocalFunction(spec, {
            baseEnvironment,
            defaultMaxInstances: 50,
            workerScript: workerScriptUrl(),
            onLogLine: (name, line) => {
              if (!recordEmbeddedMetrics(metrics, line)) options.onLogLine?.(name, line);
            },
            onInvoked: (name, outcome) => recordLambdaMetrics(metrics, name, outcome),
          }),
        );
      }
      for (const spec of resources.mappings) {
        const fn = functions.get(spec.functionName);
        if (fn === undefined) continue;
        mappings.push(
          new LocalEventSourceMapping(spec, fn, pollerSqs, {
            defaultConcurrency: options.defaultConcurrency,
            onTurn: (turn) => options.onTurn?.(turn),
            onChange: (enabled) => options.onMappingChange?.(enabled),
          }),
        );
      }
      await compressVisibilityTimeouts(sqs, resources, options.timeScale, options.visibilityFloorSeconds);
      const bridge = new SnsLambdaBridge({ sqs, sns }, options.timeScale);
      const runtime = new LocalRuntime({
        options,
        server,
        resources,
        functions,
        mappings,
        metrics,
        proxy,
        lambdaApi,
        cloudWatchApi,
        eventBridgeApi,
        dynamo,
        dynamoProxy,
        apiCalls,
        pollerSqs,
        bridge,
        sqs,
        sns,
      });
      states.of = (name) => runtime.alarmStates.get(name) ?? 'INSUFFICIENT_DATA';
      await runtime.#run();
      return runtime;
    } catch (error) {
      await server.stop();
      await dynamo?.stop();
      throw error;
    }
  }

  /** Every message event the server recorded since the last call (sends, deletes, DLQ moves, publishes). */
  drainServerEvents(): SpyMessage[] {
    const events = this.server.spy.getAllMessages();
    this.server.spy.clear();
    return events;
  }

  async stop(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    await Promise.all(this.mappings.map((mapping) => mapping.stop()));
    await this.#bridge.stop();
    await Promise.allSettled([...this.#asyncInvocations]);
    await Promise.all([...this.functions.values()].map((fn) => fn.close()));
    await this.#lambdaApi.close();
    await this.#cloudWatchApi.close();
    await this.#eventBridgeApi.close();
    await this.proxy.close();
    await this.#dynamoProxy?.close();
    await this.#dynamo?.stop();
    this.#pollerSqs.destroy();
    this.sqs.destroy();
    this.sns.destroy();
    await this.server.stop();
  }

  async #run(): Promise<void> {
    const { options, resources } = { options: this.#options, resources: this.resources };
    for (const [index, subscription] of resources.lambdaSubscriptions.entries()) {
      const fn = this.functions.get(subscription.functionName);
      if (fn !== undefined) await this.#bridge.connect(subscription.topicArn, fn, index);
    }
    for (const schedule of resources.schedules) {
      this.#timers.push(
        setInterval(
          () => {
            for (const target of schedule.targets)
              this.#invokeByArn(
                target.arn,
                target.input === undefined ? scheduledEvent(options.region) : JSON.parse(target.input),
              );
          },
          (schedule.everySeconds * 1_000) / options.timeScale,
        ),
      );
    }
    if (resources.alarms.length > 0 || resources.compositeAlarms.length > 0) {
      const shortestPeriodMs = Math.min(
        ...resources.alarms.map((alarm) => this.#alarms.periodMs(alarm)),
        60_000,
      );
      this.#timers.push(
        setInterval(() => void this.#sampleAndEvaluate(), Math.max(100, shortestPeriodMs / 4)),
      );
    }
    for (const mapping of this.mappings) mapping.start();
  }

  async #sampleAndEvaluate(): Promise<void> {
    await sampleQueueMetrics(this, this.#options.timeScale, this.#ageClocks).catch(() => {});
    for (const transition of this.#alarms.evaluate())
      this.#act(transition.alarm.name, transition, this.#actionsFor(transition.alarm, transition.state));
    for (const composite of this.resources.compositeAlarms) {
      const value = evaluateCompositeRule(
        composite.rule,
        (name) => this.#alarms.state(name) ?? this.#compositeStates.get(name),
      );
      if (value === undefined) continue;
      const state: AlarmState = value ? 'ALARM' : 'OK';
      const previous = this.#compositeStates.get(composite.name) ?? 'INSUFFICIENT_DATA';
      if (state === previous) continue;
      this.#compositeStates.set(composite.name, state);
      const transition = {
        alarm: composite,
        previous,
        state,
        reason: `Composite rule ${composite.rule} became ${value ? 'true' : 'false'}`,
        at: Date.now(),
      } satisfies AlarmTransition;
      this.#act(
        composite.name,
        transition,
        state === 'ALARM'
          ? composite.alarmActions
          : state === 'OK'
            ? composite.okActions
            : composite.insufficientDataActions,
      );
    }
    this.metrics.prune(Date.now() - 3_600_000);
  }

  #actionsFor(
    alarm: {
      alarmActions: readonly string[];
      okActions: readonly string[];
      insufficientDataActions: readonly string[];
    },
    state: AlarmState,
  ) {
    return state === 'ALARM'
      ? alarm.alarmActions
      : state === 'OK'
        ? alarm.okActions
        : alarm.insufficientDataActions;
  }

  #act(alarmName: string, transition: AlarmTransition, actions: readonly string[]): void {
    this.#options.onAlarm?.({
      alarmName,
      previous: transition.previous,
      state: transition.state,
      reason: transition.reason,
      actions,
    });
    for (const action of actions) {
      if (action.includes(':lambda:')) {
        this.#invokeByArn(
          action,
          directAlarmActionPayload(transition, this.resources.region, LOCAL_ACCOUNT_ID),
        );
      } else if (action.includes(':sns:')) {
        const { subject, message } = snsAlarmMessage(transition, this.resources.region, LOCAL_ACCOUNT_ID);
        void this.sns
          .send(new PublishCommand({ TopicArn: action, Subject: subject, Message: message }))
          .catch(() => {});
      }
    }
  }

  #invokeByArn(arn: string, event: unknown): void {
    const name = arn.split(':')[6] ?? arn;
    const fn = this.functions.get(name);
    if (fn === undefined) return;
    const invocation = invokeAsync(fn, event, { timeScale: this.#options.timeScale }).finally(() =>
      this.#asyncInvocations.delete(invocation),
    );
    this.#asyncInvocations.add(invocation);
  }
}

interface LocalDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

function hasTables(stacks: readonly StackTemplate[]): boolean {
  return stacks.some((stack) =>
    Object.values(stack.resources).some((resource) => resource.Type === 'AWS::DynamoDB::Table'),
  );
}

/** An embedded DynamoDB (dynalite), started only when the template declares a table. */
async function startLocalDynamo(region: string): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, () => resolve()));
  const endpoint = `http://${LOOPBACK}:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    region,
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function recordLambdaMetrics(metrics: MetricStore, functionName: string, outcome: InvocationOutcome): void {
  const dimensions = [{ name: 'FunctionName', value: functionName }];
  if (outcome.status === 'throttled') {
    metrics.record('AWS/Lambda', 'Throttles', dimensions, 1);
    return;
  }
  metrics.record('AWS/Lambda', 'Invocations', dimensions, 1);
  metrics.record('AWS/Lambda', 'Errors', dimensions, outcome.status === 'ok' ? 0 : 1);
  metrics.record('AWS/Lambda', 'Duration', dimensions, outcome.durationMs);
}

/** Queue gauges as CloudWatch reports them; ages scaled to the runtime's compressed time. */
async function sampleQueueMetrics(
  runtime: LocalRuntime,
  timeScale: number,
  ageClocks: Map<string, MessageAgeClock>,
): Promise<void> {
  const now = Date.now();
  for (const queue of runtime.resources.queues.values()) {
    const { Attributes = {} } = await runtime.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queue.url,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    const dimensions = [{ name: 'QueueName', value: queue.name }];
    runtime.metrics.record(
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      dimensions,
      Number(Attributes.ApproximateNumberOfMessages ?? 0),
      now,
    );
    runtime.metrics.record(
      'AWS/SQS',
      'ApproximateNumberOfMessagesNotVisible',
      dimensions,
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
      now,
    );
    runtime.metrics.record(
      'AWS/SQS',
      'ApproximateNumberOfMessagesDelayed',
      dimensions,
      Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
      now,
    );
    const state = runtime.server.inspectQueue(queue.name);
    const mapping = runtime.mappings.find((candidate) => candidate.spec.queue.name === queue.name);
    if (mapping !== undefined) {
      let clock = ageClocks.get(queue.name);
      if (clock === undefined) {
        clock = new MessageAgeClock(timeScale);
        ageClocks.set(queue.name, clock);
      }
      const age = clock.tick(state, mapping.messagesInTurn, mapping.enabled, now);
      runtime.metrics.record('AWS/SQS', 'ApproximateAgeOfOldestMessage', dimensions, age, now);
      continue;
    }
    const sent = [
      ...(state?.messages.ready ?? []),
      ...(state?.messages.inflight ?? []).map((entry) => entry.message),
    ]
      .map((message) => Number((message as { sentTimestamp?: number }).sentTimestamp))
      .filter(Number.isFinite);
    const oldest = sent.length === 0 ? 0 : ((now - Math.min(...sent)) / 1_000) * timeScale;
    runtime.metrics.record('AWS/SQS', 'ApproximateAgeOfOldestMessage', dimensions, oldest, now);
  }
}

/**
 * Scales the consumers' queue visibility timeouts with the time scale, so the batch of a timed-out
 * invocation comes back in seconds, but by default never below the function timeout: a message must not
 * reappear while its invocation may still be running.
 */
async function compressVisibilityTimeouts(
  sqs: SQSClient,
  resources: LocalResources,
  timeScale: number,
  floorSeconds: number | undefined,
): Promise<void> {
  for (const mapping of resources.mappings) {
    const fn = [...resources.functions.values()].find((candidate) => candidate.name === mapping.functionName);
    const configured = Number(mapping.queue.attributes.VisibilityTimeout ?? 30);
    const floor = floorSeconds ?? (fn?.timeoutSeconds ?? 3) + 1;
    const compressed = Math.max(Math.ceil(configured / timeScale), floor);
    if (compressed >= configured) continue;
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: mapping.queue.url,
        Attributes: { VisibilityTimeout: String(compressed) },
      }),
    );
  }
}

function scheduledEvent(region: string) {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT_ID,
    time: new Date().toISOString(),
    region,
    resources: [],
    detail: {},
  };
}

/**
 * The instance worker, run by Node's type stripping (local/ is not compiled: it is not part of the npm
 * package); a compiled `.js` beside it, if one was built, is preferred.
 */
function workerScriptUrl(): URL {
  const compiled = new URL('./lambda/functionInstance.worker.js', import.meta.url);
  return existsSync(compiled) ? compiled : new URL('./lambda/functionInstance.worker.ts', import.meta.url);
}
