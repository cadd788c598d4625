import { DataSource } from 'typeorm';
import { Organization } from '../../src/modules/auth/entities/organization.entity';
import { createOrganization, loginAs, request, RunningApi, startApi } from '../support/test-app';

/** Numbers are read in the caller's organization's country, wherever the api takes one. */
describe('organization phone numbers (real api and PostgreSQL)', () => {
  let api: RunningApi;
  let dataSource: DataSource;

  beforeAll(async () => {
    api = await startApi();
    dataSource = api.dataSource;
  });
  afterAll(() => api.close());

  async function adminOf(defaultCountry: string): Promise<string> {
    const { organization, users } = await createOrganization(dataSource, ['owner', 'admin']);
    await dataSource
      .getRepository(Organization)
      .update({ id: organization.id }, { defaultCountry });
    return loginAs(api.baseUrl, users.admin);
  }

  it("reads a national number in the organization's own country", async () => {
    const indian = await adminOf('IN');
    const american = await adminOf('US');
    const inQuote = await request(api.baseUrl, 'GET', '/api/billing/quote?to=09876543210', {
      token: indian,
    });
    expect(inQuote.status).toBe(200);
    expect(inQuote.body).toMatchObject({ to: '+919876543210', country: 'IN' });
    const usLookup = await request(
      api.baseUrl,
      'GET',
      '/api/contacts/lookup?phone=(415)%20555-0100',
      {
        token: american,
      },
    );
    expect(usLookup.status).toBe(200);
    expect(usLookup.body.phone).toBe('+14155550100');
  });

  it('answers an invalid number with a 400 naming the field', async () => {
    const token = await adminOf('US');
    const quote = await request(api.baseUrl, 'GET', '/api/billing/quote?to=12', { token });
    expect(quote.status).toBe(400);
    expect(quote.body.message).toBe('to must be a valid phone number, e.g. +14155550100');
    const callerId = await request(api.baseUrl, 'POST', '/api/caller-ids', {
      token,
      body: { number: '555', label: 'Main line' },
    });
    expect(callerId.status).toBe(400);
    expect(callerId.body.message).toBe('number must be a valid phone number, e.g. +14155550142');
    const lookup = await request(api.baseUrl, 'GET', '/api/contacts/lookup?phone=555', { token });
    expect(lookup.status).toBe(200);
    expect(lookup.body).toEqual({ found: false, contact: null, phone: null });
  });

  it('says which fields a request left out, and what is wrong with the others', async () => {
    const token = await adminOf('US');
    const empty = await request(api.baseUrl, 'POST', '/api/calls', { token, body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.message).toBe('provider is required; to is required');
    const numeric = await request(api.baseUrl, 'POST', '/api/calls', {
      token,
      body: { provider: 'simulator', to: 4155550100 },
    });
    expect(numeric.status).toBe(400);
    expect(numeric.body.message).toContain('to must be a string');
    expect(numeric.body.message).not.toContain('required');
  });
});
