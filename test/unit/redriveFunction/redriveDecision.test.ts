import { describe, expect, it } from 'vitest';
import { resolveRedriveConfig } from '../../../lib/config/redriveConfig.js';
import {
  decideRedrive,
  needsDeadLetterAlarmState,
  needsHealthAlarmState,
} from '../../../lib/redriveFunction/redriveDecision.js';
import { INITIAL_REDRIVE_STATE, type RedriveState } from '../../../lib/redriveFunction/redriveState.js';
import { parseRedriveTrigger, type RedriveTrigger } from '../../../lib/redriveFunction/redriveTrigger.js';
import alarmAction from '../../fixtures/events/cloudwatch-alarm-action.json' with { type: 'json' };
import sns from '../../fixtures/events/cloudwatch-alarm-sns.json' with { type: 'json' };

const config = resolveRedriveConfig({
  dlqUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders-dlq',
  sourceQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders',
  healthAlarmName: 'orders-consumer-health',
  dlqAlarmName: 'orders-dlq-not-empty',
  cooldownSeconds: 600,
  maxContinuations: 3,
});
const NOW = 10_000_000;

const alarm = (alarmName: string, previousState: string, state: string): RedriveTrigger => ({
  kind: 'alarm',
  alarm: {
    delivery: 'eventbridge',
    alarmName,
    previousState,
    state,
    alarmArn: undefined,
    region: undefined,
    reason: undefined,
  } as never,
});
const decide = (trigger: RedriveTrigger, state: Partial<RedriveState> = {}) =>
  decideRedrive(trigger, config, { ...INITIAL_REDRIVE_STATE, ...state }, NOW);

describe('redrive decision (when the function redrives)', () => {
  it('redrives when the health alarm returns from ALARM to OK (SNS fixture)', () => {
    expect(decide(parseRedriveTrigger(sns))).toMatchObject({
      run: true,
      startedBy: 'health-alarm',
      guarded: true,
    });
  });

  it.each([
    ['OK', 'ALARM'],
    ['INSUFFICIENT_DATA', 'OK'],
    ['ALARM', 'INSUFFICIENT_DATA'],
  ])('ignores the health alarm going %s -> %s', (previous, next) => {
    expect(decide(alarm('orders-consumer-health', previous, next))).toMatchObject({ run: false });
  });

  it('redrives when the DLQ alarm fires after the cooldown (alarm action fixture)', () => {
    expect(decide(parseRedriveTrigger(alarmAction), { lastRunAt: NOW - 600_000 })).toMatchObject({
      run: true,
      startedBy: 'dlq-alarm',
    });
  });

  it('refuses the DLQ alarm within the cooldown, saying how long is left', () => {
    expect(decide(parseRedriveTrigger(alarmAction), { lastRunAt: NOW - 540_000 })).toEqual({
      run: false,
      reason: 'DLQ alarm fired during the cooldown: 60 s left',
    });
  });

  it('refuses the DLQ alarm and the schedule while the health alarm is in ALARM, but goes on with a drain', () => {
    const after = { lastRunAt: NOW - 600_000 };
    const unhealthy = {
      run: false,
      reason:
        'the consumer is unhealthy (health alarm orders-consumer-health is in ALARM): its return to OK will redrive',
    };
    const withHealth = (trigger: RedriveTrigger, state: Partial<RedriveState>, health: 'OK' | 'ALARM') =>
      decideRedrive(trigger, config, { ...INITIAL_REDRIVE_STATE, ...state }, NOW, health);
    expect(withHealth(parseRedriveTrigger(alarmAction), after, 'ALARM')).toEqual(unhealthy);
    expect(withHealth({ kind: 'schedule' }, after, 'ALARM')).toEqual(unhealthy);
    expect(withHealth(parseRedriveTrigger(alarmAction), after, 'OK')).toMatchObject({ run: true });
    expect(withHealth({ kind: 'schedule' }, { draining: true }, 'ALARM')).toMatchObject({ run: true });
  });

  it('reads the health alarm only for the DLQ alarm firing and the schedule', () => {
    expect(needsHealthAlarmState(parseRedriveTrigger(alarmAction), config)).toBe(true);
    expect(needsHealthAlarmState({ kind: 'schedule' }, config)).toBe(true);
    expect(needsHealthAlarmState(parseRedriveTrigger(sns), config)).toBe(false);
    expect(needsHealthAlarmState(alarm('orders-dlq-not-empty', 'ALARM', 'OK'), config)).toBe(false);
    const withoutHealthAlarm = resolveRedriveConfig({ ...config, healthAlarmName: undefined });
    expect(needsHealthAlarmState({ kind: 'schedule' }, withoutHealthAlarm)).toBe(false);
  });

  it('ignores the DLQ alarm returning to OK, and unknown alarms', () => {
    expect(decide(alarm('orders-dlq-not-empty', 'ALARM', 'OK'))).toMatchObject({ run: false });
    expect(decide(alarm('billing', 'ALARM', 'OK'))).toMatchObject({
      run: false,
      reason: expect.stringMatching(/neither the health alarm/),
    });
  });

  it('refuses every automatic trigger while the breaker is open, but not a manual one', () => {
    const open = { openUntil: NOW + 1 };
    expect(decide(parseRedriveTrigger(sns), open)).toMatchObject({
      run: false,
      reason: expect.stringMatching(/circuit breaker is open/),
    });
    expect(decide({ kind: 'schedule' }, { ...open, draining: true })).toMatchObject({ run: false });
    expect(
      decide(
        { kind: 'continuation', continuation: { runId: 'r', chain: 1, remaining: 5, startedBy: 'x' } },
        open,
      ),
    ).toMatchObject({ run: false });
    expect(decide({ kind: 'manual', request: { filters: [] } }, open)).toMatchObject({
      run: true,
      guarded: false,
    });
  });

  it('a schedule goes on with a drain at once, or redrives after the cooldown', () => {
    expect(decide({ kind: 'schedule' }, { lastRunAt: NOW - 1, draining: true })).toMatchObject({ run: true });
    expect(decide({ kind: 'schedule' }, { lastRunAt: NOW - 1 })).toMatchObject({ run: false });
    expect(decide({ kind: 'schedule' }, { lastRunAt: NOW - 600_000 })).toMatchObject({ run: true });
  });

  it('looks again at a DLQ alarm whose trigger the cooldown skipped: the schedule redrives while it is still in ALARM', () => {
    // Prepare: the alarm fires during the cooldown; alarms act only on a state change, so it never fires again
    const lastRunAt = NOW - 540_000;
    expect(decide(parseRedriveTrigger(alarmAction), { lastRunAt })).toMatchObject({ run: false });

    // Act + Assess: the schedule (continuation self-invoke) reads the DLQ alarm once the cooldown has passed
    const later = { lastRunAt: NOW - 600_000 };
    const scheduled = (dlqState?: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA') =>
      decideRedrive(
        { kind: 'schedule' },
        config,
        { ...INITIAL_REDRIVE_STATE, ...later },
        NOW,
        'OK',
        dlqState,
      );
    expect(needsDeadLetterAlarmState({ kind: 'schedule' }, config)).toBe(true);
    expect(scheduled('ALARM')).toMatchObject({
      run: true,
      startedBy: 'schedule',
      reason: expect.stringContaining('still in ALARM'),
    });
    expect(scheduled('OK')).toMatchObject({ run: false, reason: expect.stringContaining('is OK') });
    expect(scheduled('INSUFFICIENT_DATA')).toMatchObject({ run: false });
    // Unknown (the read failed): redrive, the engine finds an empty DLQ in one receive.
    expect(scheduled(undefined)).toMatchObject({ run: true });
    // Still in the cooldown, or during an outage: not yet.
    expect(
      decideRedrive(
        { kind: 'schedule' },
        config,
        { ...INITIAL_REDRIVE_STATE, lastRunAt },
        NOW,
        'OK',
        'ALARM',
      ),
    ).toMatchObject({ run: false });
    expect(
      decideRedrive(
        { kind: 'schedule' },
        config,
        { ...INITIAL_REDRIVE_STATE, ...later },
        NOW,
        'ALARM',
        'ALARM',
      ),
    ).toMatchObject({ run: false });
  });

  it('reads the DLQ alarm only for the schedule with continuation self-invoke', () => {
    const onSchedule = resolveRedriveConfig({
      ...config,
      continuation: 'schedule',
      maxContinuations: undefined,
    });
    expect(needsDeadLetterAlarmState({ kind: 'schedule' }, onSchedule)).toBe(false);
    expect(needsDeadLetterAlarmState(parseRedriveTrigger(alarmAction), config)).toBe(false);
    expect(needsDeadLetterAlarmState({ kind: 'schedule' }, { ...config, dlqAlarmName: undefined })).toBe(
      false,
    );
  });

  it('continues a run up to maxContinuations', () => {
    const continuation = (chain: number): RedriveTrigger => ({
      kind: 'continuation',
      continuation: { runId: 'r', chain, remaining: 5, startedBy: 'dlq-alarm' },
    });
    expect(decide(continuation(3))).toMatchObject({ run: true, startedBy: 'dlq-alarm' });
    expect(decide(continuation(4))).toMatchObject({
      run: false,
      reason: 'continuation 4 exceeds maxContinuations (3)',
    });
  });
});
