// Types for scripts/redis.mjs (plain JavaScript run directly by node), for TypeScript callers.

/** The redis-server binary, if one is installed. */
export function findRedisServer(): string | undefined;
/** The redis-server binary; installs Debian's package when root with apt, or exits with instructions. */
export function ensureRedisServer(): string;
/** Starts a throwaway redis-server (no persistence) on a free 127.0.0.1 port. */
export function startRedis(): Promise<{ url: string; port: number; close(): Promise<void> }>;
