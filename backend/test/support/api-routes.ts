import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export interface ApiRoute {
  method: string;
  /** Fastify's path, with `:param` placeholders (`/api/calls/:id`). */
  url: string;
  /** The names of the path's parameters, in order. */
  params: string[];
}

/**
 * Records every route the api registers, as Fastify's router sees it, so tests that must cover
 * every route (fuzzing, tenant isolation) enumerate them instead of keeping a list by hand.
 * Call it on an app from `createApiApp()` before it listens (Nest registers routes in `init`).
 */
export function recordRoutes(app: NestFastifyApplication): ApiRoute[] {
  const routes: ApiRoute[] = [];
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      const params = [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]);
      routes.push({ method, url: route.url, params });
    }
  });
  return routes;
}
