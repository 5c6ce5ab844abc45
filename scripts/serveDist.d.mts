// Types for scripts/serveDist.mjs (plain JavaScript run directly by node), for TypeScript callers.

export const PERMISSIONS_POLICY: string;
/** index.html's policy with connect-src = 'self' + the signaling origins and frame-ancestors 'none'. */
export function productionCsp(metaPolicy: string, signalingUrls: string[]): string;
/** The ws:/wss: signaling URLs of a config.json text. */
export function signalingUrlsOf(text: string): string[];
/** Serves a built app with the production headers; loopback and port 8080 by default. */
export function startDistServer(options: {
  dist: string;
  configPath?: string;
  host?: string;
  port?: number;
}): Promise<{ url: string; port: number; csp: string; close(): Promise<void> }>;
