// How the page reads a failed request: the words to show, and whether it means "full" or "worth trying again".
import { ApiError } from './api';

/** The server's own words for an ApiError; a generic sentence for anything else. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong. Please try again.';
}

/** Answers that mean "the machine is full right now": worth a place in line rather than an error. */
export function isFull(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'at_capacity' || error.code === 'addresses_exhausted');
}

/** An unknown workshop (404) or a bad request stays so; a full server or a lost connection may not. */
export function isRetryableStart(error: unknown): boolean {
  return !(error instanceof ApiError && (error.status === 404 || error.status === 400));
}
