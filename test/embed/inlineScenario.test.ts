import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_INLINE_CHARS, decodeScenario, encodeScenario } from '../../src/embed/inlineScenario.ts';

const text = readFileSync('scenarios/retries-flaky-pod.yaml', 'utf8');

describe(decodeScenario, () => {
  it("unpacks what encodeScenario packs, and what Node's zlib packs", async () => {
    expect(await decodeScenario(await encodeScenario(text))).toEqual({ text });
    expect(await decodeScenario(deflateRawSync(text).toString('base64url'))).toEqual({ text });
  });

  it('keeps non-ASCII text', async () => {
    const yaml = 'title: Réessais — ça marche ✓\n';
    expect(await decodeScenario(await encodeScenario(yaml))).toEqual({ text: yaml });
  });

  it('packs a library scenario into a fragment a URL can carry', async () => {
    expect((await encodeScenario(text)).length).toBeLessThan(text.length);
  });

  describe('when the fragment is not a packed scenario', () => {
    it.each([
      ['not base64url', 'a+b/c=='],
      ['empty', ''],
      ['not deflate data', Buffer.from('plain text, not compressed').toString('base64url')],
      ['truncated', deflateRawSync(text).toString('base64url').slice(0, 40)],
      ['not UTF-8', deflateRawSync(Buffer.from([0xff, 0xfe, 0xfd])).toString('base64url')],
    ])('says so when it is %s', async (_what, data) => {
      const r = await decodeScenario(data);
      expect(r).toHaveProperty('error');
      expect((r as { error: string }).error).toMatch(/^URL fragment scenario: /);
    });

    it('stops unpacking a "zip bomb" early', async () => {
      const bomb = deflateRawSync(Buffer.alloc(50 * 1024 * 1024, 0x61)).toString('base64url');
      expect(await decodeScenario(bomb)).toEqual({ error: `URL fragment scenario: unpacks to more than ${MAX_INLINE_CHARS} characters` });
    });
  });
});
