import { describe, expect, it } from 'vitest';
import { wrapRows } from '../../src/render/wrapRows.ts';

describe('wrapRows', () => {
  it('leaves a short text on one row', () => {
    expect(wrapRows('GET /reviews/1 · mTLS', 24)).toBe('GET /reviews/1 · mTLS');
  });
  it('breaks at spaces, and a word longer than a row after a dot, slash or colon', () => {
    expect(wrapRows('Get + GetProfile reviews.default.svc.cluster.local:80', 24)).toBe('Get + GetProfile\nreviews.default.svc.\ncluster.local:80');
    expect(wrapRows('Update reviews: reviews-0 reviews-1 reviews-2', 24)).toBe('Update reviews:\nreviews-0 reviews-1\nreviews-2');
  });
  it('keeps a long word with no break in it whole on its own row', () => {
    expect(wrapRows('to aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa now', 10)).toBe('to\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nnow');
  });
});
