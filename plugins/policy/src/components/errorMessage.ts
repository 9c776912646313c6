import { ResponseError } from '@backstage/errors';

/** The backend's own message for a failed request, else the error's message. */
export function errorMessage(error: Error): string {
  if (error instanceof ResponseError)
    return error.body?.error?.message ?? error.message;
  return error.message;
}
