import { describe, expect, it } from 'vitest';
import {
  checkEndpointUrl,
  checkRequestEndpoints,
  endpointSettings,
  isLoopbackHost,
  queueReferenceRegion,
  RequestEndpointError,
} from '../../../cli/support/requestEndpoints.js';

const inRegion = { endpointUrl: undefined, region: 'eu-west-1' };
const noRegion = { endpointUrl: undefined, region: undefined };

describe('where the CLI signs requests to', () => {
  it.each([
    ['https://sqs.eu-west-1.amazonaws.com/111122223333/orders', 'eu-west-1'],
    ['https://sqs-fips.us-gov-west-1.amazonaws.com/111122223333/orders', 'us-gov-west-1'],
    ['https://eu-west-1.queue.amazonaws.com/111122223333/orders.fifo', 'eu-west-1'],
    ['https://sqs.cn-north-1.amazonaws.com.cn/111122223333/orders', 'cn-north-1'],
    ['arn:aws:sqs:ap-southeast-2:111122223333:orders', 'ap-southeast-2'],
    ['orders-dlq', undefined],
  ])('takes %s (region %s)', (reference, region) => {
    expect(queueReferenceRegion(reference, noRegion)).toBe(region);
  });

  it.each([
    'http://127.0.0.1:4566/000000000000/orders',
    'http://sqs.eu-west-1.amazonaws.com/111122223333/orders',
    'https://sqs.eu-west-1.amazonaws.com.attacker.example/111122223333/orders',
    'https://sqs.eu-west-1.example.com/111122223333/orders',
    'https://attacker.example/sqs.eu-west-1.amazonaws.com/orders',
  ])('refuses %s without an explicit endpoint, saying what to give instead', (reference) => {
    expect(() => queueReferenceRegion(reference, inRegion)).toThrowError(RequestEndpointError);
    expect(() => queueReferenceRegion(reference, inRegion)).toThrowError(
      /which is not the SQS endpoint of a region .* name it with --endpoint-url/,
    );
  });

  it('takes any queue URL once an endpoint is named: every request goes to that endpoint', () => {
    expect(
      queueReferenceRegion('http://localhost:4566/000000000000/orders', {
        endpointUrl: 'http://localhost:4566',
        region: 'eu-west-1',
      }),
    ).toBeUndefined();
  });

  it.each([
    'https://sqs.eu-west-1.amazonaws.com',
    'http://localhost:4566',
    'http://127.0.0.1:9324',
    'http://[::1]:4566',
    'http://fauxqs.localhost:4566',
  ])('takes the endpoint %s', (endpoint) => {
    expect(() => checkEndpointUrl(endpoint)).not.toThrow();
  });

  it.each([
    [
      'http://10.0.0.5:4566',
      /plain http would send your access key id and request signatures in clear to 10\.0\.0\.5:4566/,
    ],
    ['http://localstack.internal:4566', /Use https, or plain http only to a local endpoint/],
    ['ftp://localhost', /not an http\(s\) URL/],
    ['localhost 4566', /not a URL/],
  ])('refuses the endpoint %s', (endpoint, message) => {
    expect(() => checkEndpointUrl(endpoint)).toThrowError(message);
  });

  it('tells loopback hosts from others', () => {
    expect(['localhost', '127.0.0.1', '127.1.2.3', '[::1]', 'a.localhost'].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['10.0.0.1', 'localhost.example', '::2', '0.0.0.0'].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('signs for the region the queues name when none is configured, and refuses another or several', () => {
    const url = (region: string) => `https://sqs.${region}.amazonaws.com/111122223333/orders`;
    expect(checkRequestEndpoints([url('eu-west-1'), 'orders-dlq'], noRegion)).toBe('eu-west-1');
    expect(checkRequestEndpoints(['orders-dlq'], inRegion)).toBe('eu-west-1');
    expect(() => checkRequestEndpoints([url('us-east-1')], inRegion)).toThrowError(
      /is in us-east-1, but the region is eu-west-1: .* Pass --region us-east-1\./,
    );
    expect(() => checkRequestEndpoints([url('us-east-1'), url('eu-west-1')], noRegion)).toThrowError(
      /several regions \(us-east-1, eu-west-1\)/,
    );
    expect(() =>
      checkRequestEndpoints(['orders'], { endpointUrl: 'http://192.168.1.2:4566', region: 'eu-west-1' }),
    ).toThrowError(RequestEndpointError);
  });

  it('names where a refused endpoint was given: the flag or the variable', () => {
    const refusal = (env: NodeJS.ProcessEnv, flags: { endpointUrl?: string } = {}) => {
      try {
        checkRequestEndpoints(['orders'], endpointSettings(env, flags));
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    const remote = 'http://10.0.0.5:4566';
    expect(refusal({ AWS_ENDPOINT_URL: remote }, { endpointUrl: remote })).toMatch(/^--endpoint-url /);
    expect(refusal({ AWS_ENDPOINT_URL: remote })).toMatch(/^AWS_ENDPOINT_URL http/);
    expect(refusal({ AWS_ENDPOINT_URL_SQS: remote, AWS_ENDPOINT_URL: 'http://localhost:4566' })).toMatch(
      /^AWS_ENDPOINT_URL_SQS http/,
    );
  });
});
