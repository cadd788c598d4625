import { safeReturnUrl } from './login-redirect';

describe('safeReturnUrl', () => {
  it('keeps in-app paths with their query', () => {
    expect(safeReturnUrl('/history?status=failed')).toBe('/history?status=failed');
  });

  it.each([
    undefined,
    null,
    '',
    'https://evil.example',
    '//evil.example',
    '/\\evil.example',
    '/login',
  ])('falls back to the dashboard for %s', (value) => {
    expect(safeReturnUrl(value)).toBe('/dashboard');
  });
});
