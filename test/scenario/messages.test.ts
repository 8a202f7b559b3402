import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, pathString, withGot } from '../../src/scenario/messages.ts';

describe('pathString', () => {
  it('writes list indexes in brackets and keys with dots', () => {
    expect(pathString(['services', 1, 'replicas'])).toBe('services[1].replicas');
    expect(pathString(['traffic', 0])).toBe('traffic[0]');
  });

  it('quotes keys that would otherwise read as several segments or none', () => {
    expect(pathString(['linkerd', 0, 'metadata', 'annotations', 'retry.linkerd.io/http'])).toBe('linkerd[0].metadata.annotations["retry.linkerd.io/http"]');
    expect(pathString(['foo bar'])).toBe('["foo bar"]');
    expect(pathString(['expect', 'istio', 'byStatus', '503'])).toBe('expect.istio.byStatus["503"]');
    expect(pathString([''])).toBe('[""]');
  });

  it('leaves pod names and dashed keys readable', () => {
    expect(pathString(['expect', 'istio', 'received', 'reviews-0'])).toBe('expect.istio.received.reviews-0');
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours, ignoring case', () => {
    expect(editDistance('replica', 'replicas')).toBe(1);
    expect(editDistance('replicsa', 'replicas')).toBe(1);
    expect(editDistance('tilte', 'title')).toBe(1);
    expect(editDistance('Replicas', 'replicas')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('didYouMean', () => {
  const keys = ['id', 'title', 'duration', 'services', 'traffic', 'narration', 'checkpoints'];

  it('suggests the closest key when it is a likely typo', () => {
    expect(didYouMean('narations', keys)).toBe('narration');
    expect(didYouMean('servces', keys)).toBe('services');
    expect(didYouMean('Title', keys)).toBe('title');
  });

  it('allows one edit for short words and a third of the length for longer ones, at most three', () => {
    expect(didYouMean('tilte', keys)).toBe('title');
    expect(didYouMean('tiltee', keys)).toBe('title');
    expect(didYouMean('tltee', keys)).toBeUndefined(); // two edits in five letters is a different word
    expect(didYouMean('durashun', keys)).toBeUndefined(); // three edits in eight letters
    expect(didYouMean('duratshun', keys)).toBe('duration');
    expect(didYouMean('chekpionts', keys)).toBe('checkpoints');
  });

  it('says nothing when no key is close', () => {
    expect(didYouMean('zzzzzz', keys)).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });
});

describe('withGot', () => {
  it('adds the value found to a schema message that does not quote it', () => {
    expect(withGot('must be a whole number ≥ 1', { present: true, value: 2.5 })).toBe('must be a whole number ≥ 1 (got 2.5)');
  });

  it('tucks it into a closing parenthesis rather than adding a second one', () => {
    expect(withGot('must be a lowercase name like "reviews" (letters, digits, dashes)', { present: true, value: 'Demo' })).toBe(
      'must be a lowercase name like "reviews" (letters, digits, dashes; got "Demo")',
    );
  });

  it('leaves messages that already quote a value, that are not a "must", or whose value is a mapping', () => {
    expect(withGot('must be a rate (got "x")', { present: true, value: 'x' })).toBe('must be a rate (got "x")');
    expect(withGot('is after the end of the run', { present: true, value: '20s' })).toBe('is after the end of the run');
    expect(withGot('must set exactly one of at or on', { present: true, value: { at: '1s' } })).toBe('must set exactly one of at or on');
    expect(withGot('must not be empty', { present: true, value: '' })).toBe('must not be empty');
  });
});
