import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * One Lambda execution environment: loads the bundled handler once (the cold start), then serves one
 * invocation at a time. Node runs it in a worker thread with type stripping, so it uses only TypeScript
 * that strips to plain JavaScript (no enums, namespaces or parameter properties).
 */
interface InstanceData {
  readonly codeDirectory: string;
  readonly handler: string;
  readonly functionName: string;
  readonly memoryMb: number;
  readonly functionArn: string;
  /** Where the runtime's own AWS SDK resolves from. */
  readonly sdkBaseUrl: string;
}

interface InvokeMessage {
  readonly id: number;
  readonly event: unknown;
  readonly deadline: number;
  readonly requestId: string;
}

const data = workerData as InstanceData;
const port = parentPort;
if (port === null) throw new Error('functionInstance.worker must run in a worker thread');

// Lambda's Node.js runtime provides the AWS SDK v3, so bundles leave it out; here the runtime's own copy
// plays that part when the asset cannot resolve it itself.
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (!specifier.startsWith('@aws-sdk/')) throw error;
      return nextResolve(specifier, { ...context, parentURL: data.sdkBaseUrl });
    }
  },
});

const separator = data.handler.lastIndexOf('.');
const file = data.handler.slice(0, separator);
const exportName = data.handler.slice(separator + 1);
const candidates = ['.mjs', '.js', '.cjs'].map((extension) =>
  join(data.codeDirectory, `${file}${extension}`),
);
const entry = candidates.find((candidate) => existsSync(candidate));

try {
  if (entry === undefined) throw new Error(`No handler file ${file}.mjs/.js/.cjs in ${data.codeDirectory}`);
  const module = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  const handler = module[exportName];
  if (typeof handler !== 'function')
    throw new Error(`${entry} does not export a function named ${exportName}`);
  port.postMessage({ type: 'ready' });
  port.on('message', async (message: InvokeMessage) => {
    const context = {
      functionName: data.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: data.functionArn,
      memoryLimitInMB: String(data.memoryMb),
      awsRequestId: message.requestId,
      logGroupName: `/aws/lambda/${data.functionName}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
    };
    try {
      const result = await (handler as (event: unknown, context: unknown) => unknown)(message.event, context);
      // Lambda returns the JSON serialization of the result: undefined becomes null, classes become objects.
      const serialized = result === undefined ? null : JSON.parse(JSON.stringify(result));
      port.postMessage({ type: 'result', id: message.id, ok: true, result: serialized });
    } catch (error) {
      const failure =
        error instanceof Error
          ? { name: error.name, message: error.message, stack: error.stack }
          : { name: 'Error', message: String(error) };
      port.postMessage({ type: 'result', id: message.id, ok: false, error: failure });
    }
  });
} catch (error) {
  port.postMessage({
    type: 'init-error',
    error: { name: (error as Error).name, message: (error as Error).message },
  });
}
