import { HttpErrorResponse } from '@angular/common/http';

import { ApiError } from './api-error';

const response = (status: number, error: unknown) =>
  new HttpErrorResponse({ status, error, url: '/api/x' });

describe('ApiError.message', () => {
  it("uses the server's message", () => {
    const err = response(409, {
      statusCode: 409,
      error: 'Conflict',
      message: 'Email already in use',
    });
    expect(ApiError.message(err)).toBe('Email already in use');
  });

  it('shows a calling-hours refusal without the API flag meant for integrations', () => {
    const err = response(403, {
      statusCode: 403,
      message:
        'The call cannot be placed outside calling hours: it is 22:14 in America/New_York (allowed 08:00–21:00) (an admin may override with overrideCallingHours: true)',
    });
    expect(ApiError.message(err)).toBe(
      'The call cannot be placed outside calling hours: it is 22:14 in America/New_York (allowed 08:00–21:00)',
    );
    expect(ApiError.message(err)).not.toContain('overrideCallingHours');
  });

  it('joins a list of validation messages', () => {
    const err = response(400, {
      statusCode: 400,
      message: ['email must be an email', 'role is invalid'],
    });
    expect(ApiError.message(err)).toBe('email must be an email. role is invalid');
  });

  it('reads a JSON body that arrived as text', () => {
    expect(ApiError.message(response(400, '{"message":"name is required"}'))).toBe(
      'name is required',
    );
  });

  it('explains an unreachable server', () => {
    expect(ApiError.message(response(0, new ProgressEvent('error')))).toContain(
      'Cannot reach the server',
    );
  });

  it('falls back by status, then to the given text', () => {
    expect(ApiError.message(response(503, '<html>Bad gateway</html>'))).toBe(
      'The server had a problem. Please try again.',
    );
    expect(ApiError.message(response(418, null), 'Could not save.')).toBe('Could not save.');
    expect(ApiError.message('weird', 'Could not save.')).toBe('Could not save.');
  });

  it('exposes the status', () => {
    expect(ApiError.status(response(409, null))).toBe(409);
    expect(ApiError.status(new Error('x'))).toBeNull();
  });
});
