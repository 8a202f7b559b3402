import { describe, expect, it } from 'vitest';
import { GAP, certSummary, chipWidth, configForms, fitChips } from '../../src/render/proxyChipWords.ts';
import { STRIP_CHIPS_W } from '../../src/render/layoutTypes.ts';

const cert = (state: string) => ({ state, previous: null });

describe('certSummary', () => {
  it('counts the certificates in the worst state: every one valid reads "cert ✓ ×2"', () => {
    expect(certSummary([cert('issued.valid'), cert('issued.valid')])).toMatchObject({ tone: 'ok', forms: ['cert ✓ ×2', 'cert ✓'] });
  });

  it('shows an expired certificate before valid ones, counting only the expired', () => {
    const s = certSummary([cert('issued.valid'), cert('expired.requesting'), cert('issued.valid')]);
    expect(s).toMatchObject({ tone: 'bad', forms: ['cert expired ×1', 'cert expired'] });
  });

  it('shows a failed renewal before an expired certificate is absent, and a renewal before valid ones', () => {
    expect(certSummary([cert('issued.renewBackoff'), cert('issued.valid')])!.forms[0]).toBe('renew failed ×1');
    expect(certSummary([cert('issued.valid'), cert('issued.renewing')])!.forms[0]).toBe('renewing cert ×1');
  });

  it('counts a certificate with no state yet as none', () => {
    expect(certSummary([undefined, cert('issued.valid')])!.forms[0]).toBe('no cert ×1');
  });

  it('is nothing for a proxy that holds no certificate', () => {
    expect(certSummary([])).toBeNull();
  });
});

describe('configForms', () => {
  it("says what a sidecar's config chip says, then shorter", () => {
    expect(configForms({ machine: 'proxyConfig', state: 'synced', previous: 'stale', version: 2 })).toMatchObject({
      tone: 'ok',
      forms: ['config v2 ✓', 'config ✓'],
    });
    expect(configForms({ machine: 'proxyConfig', state: 'stale', previous: 'synced', version: 1 })).toMatchObject({
      tone: 'warn',
      forms: ['config v1 · stale', 'config stale', 'stale'],
    });
  });
});

describe('fitChips', () => {
  const certs = certSummary([cert('issued.valid'), cert('issued.valid')])!;
  const stale = configForms({ machine: 'proxyConfig', state: 'stale', previous: 'synced', version: 1 });
  const synced = configForms({ machine: 'proxyConfig', state: 'synced', previous: null, version: 1 });
  const whole = chipWidth('cert ✓ ×2') + GAP + chipWidth('config v1 · stale');

  it('keeps every chip whole where they fit', () => {
    expect(fitChips([certs, stale], whole).map((c) => c.text)).toEqual(['cert ✓ ×2', 'config v1 · stale']);
  });

  it('shortens the certificates first, then the config', () => {
    expect(fitChips([certs, stale], whole - 1).map((c) => c.text)).toEqual(['cert ✓', 'config v1 · stale']);
    expect(fitChips([certs, stale], chipWidth('cert ✓') + GAP + chipWidth('config stale')).map((c) => c.text)).toEqual(['cert ✓', 'config stale']);
  });

  it('keeps the worse chip alone when both do not fit, the config of two alike', () => {
    expect(fitChips([certs, stale], chipWidth('config v1 · stale')).map((c) => c.text)).toEqual(['config v1 · stale']);
    expect(fitChips([certs, synced], chipWidth('config v1 ✓')).map((c) => c.text)).toEqual(['config v1 ✓']);
    const renewing = certSummary([cert('issued.renewing')])!;
    expect(fitChips([renewing, synced], chipWidth('renewing cert ×1')).map((c) => c.text)).toEqual(['renewing cert ×1']);
  });

  it('drops every chip where not even the shortest fits', () => {
    expect(fitChips([certs, stale], chipWidth('stale') - 1)).toEqual([]);
  });

  it('the room a strip keeps for its chips holds two valid certificates and a synced config', () => {
    // As proxyChips.ts reserves it: a gap after the caption, one between the chips, one at the end.
    expect(STRIP_CHIPS_W).toBeGreaterThanOrEqual(3 * GAP + chipWidth('cert ✓ ×2') + GAP + chipWidth('config v1 ✓'));
    expect(fitChips([certs, synced], STRIP_CHIPS_W - 3 * GAP).map((c) => c.text)).toEqual(['cert ✓ ×2', 'config v1 ✓']);
  });
});
