import { hashPassword, verifyPassword } from './password';

describe('password hashing (scrypt)', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('switchboard-admin');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(hash).not.toContain('switchboard-admin');
    await expect(verifyPassword('switchboard-admin', hash)).resolves.toBe(true);
    await expect(verifyPassword('switchboard-admiN', hash)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('rejects a stored value of another scheme', async () => {
    await expect(verifyPassword('x', 'bcrypt$whatever')).resolves.toBe(false);
  });
});
