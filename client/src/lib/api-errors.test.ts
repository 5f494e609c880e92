import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { isFull, isRetryableStart, messageOf } from './api-errors';

describe('messageOf', () => {
  it("shows the server's own words, and a generic sentence for anything else", () => {
    expect(messageOf(new ApiError(409, 'instance_limit', 'A session has at most 5 instances.'))).toBe('A session has at most 5 instances.');
    expect(messageOf(new Error('internal detail'))).toBe('Something went wrong. Please try again.');
    expect(messageOf(undefined)).toBe('Something went wrong. Please try again.');
  });
});

describe('isFull', () => {
  it('is true only for the answers that mean the machine is full', () => {
    expect(isFull(new ApiError(503, 'at_capacity', 'full'))).toBe(true);
    expect(isFull(new ApiError(503, 'addresses_exhausted', 'full'))).toBe(true);
    expect(isFull(new ApiError(0, 'network', 'offline'))).toBe(false);
    expect(isFull(new Error('at_capacity'))).toBe(false);
  });
});

describe('isRetryableStart', () => {
  it('gives up on an unknown workshop or a bad request only', () => {
    expect(isRetryableStart(new ApiError(404, 'not_found', 'No such workshop.'))).toBe(false);
    expect(isRetryableStart(new ApiError(400, 'bad_request', 'Bad name.'))).toBe(false);
    expect(isRetryableStart(new ApiError(503, 'at_capacity', 'full'))).toBe(true);
    expect(isRetryableStart(new ApiError(0, 'network', 'offline'))).toBe(true);
    expect(isRetryableStart(new Error('boom'))).toBe(true);
  });
});
