import type { Column } from '../support/table.js';
import type { RunFigures } from './accountRun.js';
import { PRICES, PRICES_CHECKED_ON } from './prices.js';
import type { FixedResources } from './runRecord.js';

/** A table as columns and rows of text, printed to the terminal or written as markdown. */
export interface TextTable {
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly string[])[];
}

const count = (value: number) => Math.round(value).toLocaleString('en-US');

/** AWS seconds as a wait reads best: "0.4 s", "3.2 min". */
export function formatWait(seconds: number): string {
  if (seconds < 100) return `${seconds.toFixed(1)} s`;
  return `${(seconds / 60).toFixed(1)} min`;
}

function formatDollars(value: number): string {
  return value >= 0.1 ? `$${value.toFixed(3)}` : `$${value.toFixed(4)}`;
}

/** The headline table of one scenario: one row per stack, ratios against sqs-failsafe's cost. */
export function scenarioTable(
  figures: readonly RunFigures[],
  labels: ReadonlyMap<string, string>,
): TextTable {
  const ours = figures.find((figure) => figure.contender === 'sqs-failsafe');
  return {
    columns: [
      { header: 'stack' },
      { header: 'invocations', align: 'right' },
      { header: 'GB-s', align: 'right' },
      { header: 'SQS calls', align: 'right' },
      { header: 'SNS calls', align: 'right' },
      { header: 'CW calls', align: 'right' },
      { header: 'DDB calls', align: 'right' },
      { header: '$ / 1M msgs', align: 'right' },
      { header: 'vs ours', align: 'right' },
      { header: 'failed ≥ 1', align: 'right' },
      { header: 'p50 to success', align: 'right' },
      { header: 'p99 to success', align: 'right' },
      { header: 'healthy DLQ’d', align: 'right' },
      { header: 'poison receives', align: 'right' },
    ],
    rows: figures.map((figure) => [
      `${labels.get(figure.contender) ?? figure.contender}${figure.settled ? '' : ' (unsettled)'}`,
      figure.invocations.other > 0
        ? `${count(figure.invocations.consumer)} + ${count(figure.invocations.other)}`
        : count(figure.invocations.consumer),
      figure.gbSeconds.toFixed(1),
      count(figure.calls.sqs),
      count(figure.calls.sns),
      count(figure.calls.cloudWatch),
      count(figure.calls.dynamoDb),
      formatDollars(figure.dollarsPerMillionMessages),
      ours === undefined
        ? ''
        : `${(figure.dollarsPerMillionMessages / ours.dollarsPerMillionMessages).toFixed(2)}×`,
      count(figure.failedAtLeastOnce),
      figure.timeToSuccess === undefined ? '–' : formatWait(figure.timeToSuccess.p50),
      figure.timeToSuccess === undefined ? '–' : formatWait(figure.timeToSuccess.p99),
      `${count(figure.healthyDeadLettered)}${figure.healthyUnfinished > 0 ? ` (${count(figure.healthyUnfinished)} unfinished)` : ''}`,
      poisonCell(figure),
    ]),
  };
}

function poisonCell(figure: RunFigures): string {
  const { poison } = figure;
  if (poison.count === 0) return '–';
  const before = poison.receivesBeforeDeadLetter;
  const first = before === undefined ? 'never' : `${before.mean.toFixed(1)} (max ${before.max})`;
  const again =
    poison.receivesInRun !== undefined && before !== undefined && poison.receivesInRun > before.mean + 0.05
      ? `, ${poison.receivesInRun.toFixed(1)} in all`
      : '';
  const missing = poison.neverDeadLettered > 0 ? `, ${poison.neverDeadLettered} never in DLQ` : '';
  return `${first}${again}${missing}`;
}

/** Where each stack's dollars go, per million messages. */
export function costTable(figures: readonly RunFigures[], labels: ReadonlyMap<string, string>): TextTable {
  const perMillion = (figure: RunFigures, dollars: number) =>
    formatDollars((dollars / figure.messages) * 1_000_000);
  return {
    columns: [
      { header: 'stack' },
      { header: 'Lambda requests', align: 'right' },
      { header: 'Lambda GB-s', align: 'right' },
      { header: 'SQS', align: 'right' },
      { header: 'SNS', align: 'right' },
      { header: 'CloudWatch API', align: 'right' },
      { header: 'Logs', align: 'right' },
      { header: 'DynamoDB', align: 'right' },
      { header: 'total', align: 'right' },
    ],
    rows: figures.map((figure) => [
      labels.get(figure.contender) ?? figure.contender,
      perMillion(figure, figure.cost.lambdaRequests),
      perMillion(figure, figure.cost.lambdaDuration),
      perMillion(figure, figure.cost.sqs),
      perMillion(figure, figure.cost.sns),
      perMillion(figure, figure.cost.cloudWatch),
      perMillion(figure, figure.cost.logs),
      perMillion(figure, figure.cost.dynamoDb),
      perMillion(figure, figure.cost.total),
    ]),
  };
}

/** Every operation each stack called, by caller: where the API calls of the headline table come from. */
export function callsTable(figures: readonly RunFigures[], labels: ReadonlyMap<string, string>): TextTable {
  return {
    columns: [
      { header: 'stack' },
      { header: 'caller' },
      { header: 'operation' },
      { header: 'calls', align: 'right' },
      { header: 'entries', align: 'right' },
    ],
    rows: figures.flatMap((figure) =>
      figure.callsByAction.map((call) => [
        labels.get(figure.contender) ?? figure.contender,
        call.caller,
        `${call.service}:${call.action}`,
        count(call.calls),
        count(call.entries),
      ]),
    ),
  };
}

/** What each function of each stack used: where the GB-seconds come from. */
export function functionsTable(
  figures: readonly RunFigures[],
  labels: ReadonlyMap<string, string>,
): TextTable {
  return {
    columns: [
      { header: 'stack' },
      { header: 'function' },
      { header: 'MB', align: 'right' },
      { header: 'invocations', align: 'right' },
      { header: 'billed ms', align: 'right' },
      { header: 'ms / invocation', align: 'right' },
      { header: 'p50 / p90 / max ms', align: 'right' },
      { header: 'start-up ms', align: 'right' },
      { header: 'log bytes', align: 'right' },
    ],
    rows: figures.flatMap((figure) =>
      figure.functions.map((usage) => [
        labels.get(figure.contender) ?? figure.contender,
        usage.role === 'consumer' ? 'consumer' : usage.name.replace(/^.*?-Consumer-?/, ''),
        String(usage.memoryMb),
        count(usage.invocations),
        count(usage.billedDurationMs),
        usage.invocations === 0 ? '–' : (usage.billedDurationMs / usage.invocations).toFixed(1),
        usage.role === 'consumer' && figure.consumerDuration !== undefined
          ? [figure.consumerDuration.p50, figure.consumerDuration.p90, figure.consumerDuration.max]
              .map((ms) => ms.toFixed(0))
              .join(' / ')
          : '',
        count(usage.initDurationMs),
        count(usage.logBytes),
      ]),
    ),
  };
}

/** What each stack costs by the month whatever its traffic. */
export function fixedCostTable(
  stacks: readonly { readonly label: string; readonly fixed: FixedResources }[],
): TextTable {
  return {
    columns: [
      { header: 'stack' },
      { header: 'alarm metrics', align: 'right' },
      { header: 'composite alarms', align: 'right' },
      { header: 'dashboards', align: 'right' },
      { header: 'custom metrics', align: 'right' },
      { header: '$ / month', align: 'right' },
    ],
    rows: stacks.map(({ label, fixed }) => [
      label,
      String(fixed.alarmMetrics),
      String(fixed.compositeAlarms),
      String(fixed.dashboards),
      String(fixed.customMetrics),
      `$${fixedMonthlyDollars(fixed).toFixed(2)}`,
    ]),
  };
}

/** Monthly dollars of a stack's fixed resources (a dashboard counted as beyond the 3 free ones). */
export function fixedMonthlyDollars(fixed: FixedResources): number {
  return (
    fixed.alarmMetrics * PRICES.alarmMetricMonth.dollars +
    fixed.compositeAlarms * PRICES.compositeAlarmMonth.dollars +
    fixed.dashboards * PRICES.dashboardMonth.dollars +
    fixed.customMetrics * PRICES.customMetricMonth.dollars
  );
}

/** The prices used, with their pages. */
export function priceTable(): TextTable {
  return {
    columns: [{ header: 'item' }, { header: 'price', align: 'right' }, { header: 'source' }],
    rows: Object.values(PRICES).map((price) => [
      price.unit,
      `$${price.dollars} per ${price.per.toLocaleString('en-US')}`,
      `${price.source} (${PRICES_CHECKED_ON})`,
    ]),
  };
}

/** A table as GitHub markdown, for docs/benchmarks.md. */
export function markdownTable(table: TextTable): string {
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  return [
    line(table.columns.map((column) => column.header)),
    line(table.columns.map((column) => (column.align === 'right' ? '---:' : '---'))),
    ...table.rows.map(line),
  ].join('\n');
}
