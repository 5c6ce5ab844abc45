// Types for server/signaling.mjs (plain JavaScript run directly by node), for TypeScript callers.

export interface SignalingLimits {
  /** Largest accepted frame in bytes; a bigger one closes its connection (1009). Default 64 KiB. */
  maxPayload: number;
  /** Subscriptions one connection may hold; extra topics are ignored. Default 64. */
  maxTopicsPerConnection: number;
  /** Longest accepted topic name, in UTF-16 code units. Default 128. */
  maxTopicLength: number;
  /** Concurrent connections from one remote address; more are refused with HTTP 429. Default 32. */
  maxConnectionsPerIp: number;
  /** Concurrent connections in total; more are refused with HTTP 503. Default 1024. */
  maxConnections: number;
  /** Sustained frame rate per connection; excess frames are dropped. Default 50. */
  messagesPerSecond: number;
  /** Frames a connection may send at once. Default 100. */
  messageBurst: number;
  /** Rate-limited frames tolerated (refilling at messagesPerSecond) before closing with 1008. Default 100. */
  dropsBeforeClose: number;
  /** Sustained publishes into one topic from all its local senders; excess ones are refused. Default 200. */
  publishesPerTopicPerSecond: number;
  /** Publishes one topic accepts at once. Default 400. */
  publishBurstPerTopic: number;
  /** Bytes queued towards one receiver; beyond, frames for it are dropped (counted), its connection kept. Default 1 MiB. */
  maxBufferedBytes: number;
}

export interface SignalingServerOptions {
  /** Interface to bind. Default '127.0.0.1'. */
  host?: string;
  /** Default 4444; 0 picks a free port. */
  port?: number;
  limits?: Partial<SignalingLimits>;
  /** Ping period; a client that did not answer the previous ping is terminated. Default 30 000. */
  heartbeatIntervalMs?: number;
  /** Period of the counters log line; 0 disables it. Default 60 000. */
  statsIntervalMs?: number;
  /** Receives the log lines (timestamped, labelled, counts only). Default console.log. */
  log?: (line: string) => void;
  /** Names this process in its log lines. Default `pid-<pid>`. */
  label?: string;
  /** Joins the processes that share this Redis server (redis:// or rediss://). */
  redisUrl?: string;
  /** Serves /metrics on the public port to `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** Serves /metrics and /healthz on this second port without a token; 0 picks a free port. */
  metricsPort?: number;
  /** Interface of the metrics port. Default '127.0.0.1'. */
  metricsHost?: string;
  /** Behind a TLS proxy on loopback: count connections per the last X-Forwarded-For entry. Default false. */
  trustProxy?: boolean;
  /** Test-only: called with every raw frame received, before any check (capture tests). */
  onFrame?: (data: Buffer | string) => void;
}

export interface SignalingStats {
  /** Connections currently admitted, including handshakes in progress. */
  connections: number;
  /** Topics with at least one local subscriber. */
  topics: number;
  /** Frames sent to subscribers since start. */
  relayed: number;
  /** Frames not sent to a receiver whose queue was full, since start. */
  dropped: number;
  /** Incoming frames refused in whole or in part since start (malformed, bad topic, not subscribed, over a rate). */
  refused: number;
  /** Connections refused by the connection caps since start. */
  refusedConnections: number;
  /** State of the Redis bridge. */
  redis: 'off' | 'ready' | 'down';
  /** process.memoryUsage().heapUsed, in bytes. */
  memory: number;
}

export interface SignalingServer {
  /** e.g. ws://127.0.0.1:4444 */
  url: string;
  port: number;
  /** e.g. http://127.0.0.1:9464, when a metrics port was asked for. */
  metricsUrl: string | undefined;
  /** Closes every connection (1001) and stops listening; idempotent. */
  close(): Promise<void>;
  stats(): SignalingStats;
}

export function startSignalingServer(options?: SignalingServerOptions): Promise<SignalingServer>;
