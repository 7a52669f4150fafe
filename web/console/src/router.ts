// The router: pages are addressed by location.hash ("#/coach/participant/P0000012").
// Each page area registers its routes with addRoute() in its
// src/pages/<area>/index.tsx; src/main.tsx imports the areas and renders the
// route that matches. A route names the roles that may open it; a role's
// start page is the first route registered with `start: true` for it.
import { useEffect, useState } from 'preact/hooks';
import type { ComponentChild } from 'preact';
import type { Role } from './api';

export type Params = Record<string, string>;

export interface RouteDef {
  /** Path pattern after "#", e.g. "/coach/participant/:id". */
  pattern: string;
  /** Roles that may open it. */
  roles: Role[];
  /** i18n key of the page title (document.title and the navigation). */
  titleKey: string;
  /** Renders the page. */
  render: (params: Params) => ComponentChild;
  /** Shown in the navigation bar of its roles. */
  nav?: boolean;
  /** The start page of its roles after sign-in. */
  start?: boolean;
}

const routes: RouteDef[] = [];

export function addRoute(route: RouteDef): void {
  routes.push(route);
}

export function allRoutes(): readonly RouteDef[] {
  return routes;
}

function matchPattern(pattern: string, path: string): Params | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Params = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      try {
        params[want[i].slice(1)] = decodeURIComponent(have[i]);
      } catch {
        return null;
      }
    } else if (want[i] !== have[i]) {
      return null;
    }
  }
  return params;
}

export interface Resolved {
  route: RouteDef;
  params: Params;
}

/** The route for `path` that `role` may open, or null. */
export function resolve(path: string, role: Role): Resolved | null {
  for (const route of routes) {
    if (!route.roles.includes(role)) continue;
    const params = matchPattern(route.pattern, path);
    if (params) return { route, params };
  }
  return null;
}

/** Whether some route (for any role) has this path. */
export function exists(path: string): boolean {
  return routes.some((route) => matchPattern(route.pattern, path) !== null);
}

/** The role's start page path, e.g. "/coach". */
export function startPath(role: Role): string {
  const route = routes.find((r) => r.start && r.roles.includes(role));
  return route ? route.pattern : '/';
}

/** The current path: location.hash without "#", "/" when empty. */
export function currentPath(): string {
  const hash = location.hash.replace(/^#/, '');
  return hash.startsWith('/') ? hash.split('?')[0] : '/';
}

/** A link target for a path: "#/coach/…"; each part given is encoded. */
export function href(...parts: string[]): string {
  return '#/' + parts.map((p, i) => (i === 0 ? p.replace(/^\//, '') : encodeURIComponent(p))).join('/');
}

/** Goes to a path (adds a history entry). */
export function navigate(path: string): void {
  const target = '#' + (path.startsWith('/') ? path : '/' + path);
  if (location.hash === target) return;
  location.hash = target;
}

/** Hook: the current path, updated on every hash change. */
export function usePath(): string {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const update = () => setPath(currentPath());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return path;
}
