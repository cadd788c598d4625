import { HttpErrorResponse } from '@angular/common/http';

/** The backend's error body: `{ statusCode, error, message }`. */
export interface ApiErrorBody {
  statusCode: number;
  error?: string;
  message: string | string[];
}

const GENERIC = 'Something went wrong. Please try again.';

/**
 * Hints meant for API clients, naming request fields the console has no control for: the console
 * shows the refusal itself (e.g. "The call cannot be placed outside calling hours: …"), not how an
 * integration would override it.
 */
const API_CLIENT_HINTS = [/\s*\(an admin may override with overrideCallingHours: true\)/g];

function forPeople(message: string): string {
  return API_CLIENT_HINTS.reduce((text, hint) => text.replace(hint, ''), message);
}

/** Helpers that turn a failed HTTP call into a sentence a user can act on. */
export const ApiError = {
  /** The server's own message when it sent one; otherwise a sensible text for the status. */
  message(error: unknown, fallback: string = GENERIC): string {
    if (!(error instanceof HttpErrorResponse)) {
      return error instanceof Error && error.message ? error.message : fallback;
    }
    const fromServer = serverMessage(error.error);
    if (fromServer) return fromServer;
    switch (error.status) {
      case 0:
        return 'Cannot reach the server. Check your connection and try again.';
      case 401:
        return 'Your session has ended. Please sign in again.';
      case 403:
        return 'You do not have permission to do that.';
      case 404:
        return 'Not found.';
      case 429:
        return 'Too many attempts. Please wait a moment and try again.';
      default:
        return error.status >= 500 ? 'The server had a problem. Please try again.' : fallback;
    }
  },

  status(error: unknown): number | null {
    return error instanceof HttpErrorResponse ? error.status : null;
  },
} as const;

function serverMessage(body: unknown): string | null {
  if (typeof body === 'string') {
    // A JSON body that arrived as text (e.g. wrong content type).
    try {
      return serverMessage(JSON.parse(body));
    } catch {
      return null; // HTML error pages from proxies are not worth showing
    }
  }
  if (body && typeof body === 'object' && 'message' in body) {
    const message = (body as { message: unknown }).message;
    if (typeof message === 'string' && message.trim()) return forPeople(message.trim());
    if (Array.isArray(message)) {
      const parts = message.filter((m): m is string => typeof m === 'string' && m.trim() !== '');
      if (parts.length) return parts.join('. ');
    }
  }
  return null;
}
