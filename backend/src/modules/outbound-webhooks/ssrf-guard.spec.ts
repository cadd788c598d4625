import { loadConfig } from '../../config/app-config';
import { testSecrets } from '../../../test/support/test-secrets';
import { ForbiddenTargetError, isForbiddenAddress, resolveTarget } from './ssrf-guard';

const production = (extra: Record<string, string> = {}) =>
  loadConfig({
    NODE_ENV: 'production',
    PUBLIC_BASE_URL: 'https://switchboard.example.com',
    ...testSecrets(),
    ...extra,
  });

describe('SSRF guard of outbound webhooks', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '[::1]',
  ])('refuses %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:2800:220:1:248:1893:25c8:1946', '::ffff:8.8.8.8'])(
    'allows the public address %s',
    (address) => {
      expect(isForbiddenAddress(address)).toBe(false);
    },
  );

  it('production refuses private targets, the setting allows them; development allows them', () => {
    expect(production().outboundWebhooksAllowPrivate).toBe(false);
    expect(
      production({ OUTBOUND_WEBHOOKS_ALLOW_PRIVATE: 'true' }).outboundWebhooksAllowPrivate,
    ).toBe(true);
    expect(
      loadConfig({ NODE_ENV: 'development', ...testSecrets() }).outboundWebhooksAllowPrivate,
    ).toBe(true);
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://10.0.0.7/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/hook',
    'http://[fc00::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
  ])('in production mode refuses %s, and allows it with the setting', async (raw) => {
    const url = new URL(raw);
    await expect(
      resolveTarget(url, production().outboundWebhooksAllowPrivate),
    ).rejects.toBeInstanceOf(ForbiddenTargetError);
    const allowed = production({ OUTBOUND_WEBHOOKS_ALLOW_PRIVATE: 'true' });
    await expect(resolveTarget(url, allowed.outboundWebhooksAllowPrivate)).resolves.toHaveLength(1);
  });

  it('refuses a host name that resolves to loopback (the real resolver: localhost)', async () => {
    await expect(resolveTarget(new URL('http://localhost:9/hook'), false)).rejects.toThrow(
      /resolves to (127\.0\.0\.1|::1)/,
    );
  });

  it('refuses a name when any of its addresses is private (a rebinding answer)', async () => {
    const lookup = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ];
    await expect(
      resolveTarget(new URL('https://hooks.example.com/x'), false, lookup),
    ).rejects.toThrow(/10\.0\.0\.5/);
    await expect(
      resolveTarget(new URL('https://hooks.example.com/x'), true, lookup),
    ).resolves.toHaveLength(2);
  });

  it('a name that does not resolve is refused with the reason', async () => {
    const lookup = async () => {
      throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' });
    };
    await expect(resolveTarget(new URL('https://nowhere.invalid/'), true, lookup)).rejects.toThrow(
      /does not resolve \(ENOTFOUND\)/,
    );
  });
});
