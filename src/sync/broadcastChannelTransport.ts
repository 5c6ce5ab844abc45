import { LinkRegistry, TransportLink } from './peerTransport.js';

/**
 * Tab links format version 1 (docs/PROTOCOL.md §6.1): what tabs of this profile post on the
 * BroadcastChannel `hearth-sync:<room name>`, as structured-clone objects
 * `{ v: 1, type, from, to?, data? }`. A tab says `hello` to all on start, each tab that hears it
 * answers `welcome` to it, and both then hold a link; `data` carries one sync message to one tab;
 * `bye` ends the link (to one tab, or to all when the tab closes).
 */
const TAB_LINKS_VERSION = 1;
type TabPost =
  | { v: 1; type: 'hello'; from: string }
  | { v: 1; type: 'welcome' | 'bye'; from: string; to?: string }
  | { v: 1; type: 'data'; from: string; to: string; data: Uint8Array };

const MAX_ID_LENGTH = 64;

/**
 * Other tabs of this browser profile as links, so two tabs of one group exchange envelopes
 * the way peers do (each tab holds its own log in memory). Same-origin only, but still checked:
 * a post of the wrong shape is ignored.
 */
export class BroadcastChannelTransport extends LinkRegistry {
  readonly tabId: string;
  private readonly channel: BroadcastChannel;
  private readonly tabs = new Map<string, TransportLink>();
  private destroyed = false;

  constructor(name: string) {
    super();
    this.tabId = randomId();
    this.channel = new BroadcastChannel(name);
    this.channel.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data));
    this.post({ v: TAB_LINKS_VERSION, type: 'hello', from: this.tabId });
  }

  /** Says goodbye to every tab and stops. */
  override destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.post({ v: TAB_LINKS_VERSION, type: 'bye', from: this.tabId });
    for (const link of this.tabs.values()) link.closed();
    this.tabs.clear();
    this.channel.close();
    super.destroy();
  }

  private receive(post: unknown): void {
    if (this.destroyed || !isTabPost(post) || post.from === this.tabId) return;
    if ('to' in post && post.to !== undefined && post.to !== this.tabId) return;
    switch (post.type) {
      case 'hello':
        // Welcome first: the new link's first message must find the link open over there.
        this.post({ v: TAB_LINKS_VERSION, type: 'welcome', from: this.tabId, to: post.from });
        this.open(post.from);
        return;
      case 'welcome':
        this.open(post.from);
        return;
      case 'data':
        this.tabs.get(post.from)?.deliver(post.data);
        return;
      case 'bye':
        this.tabs.get(post.from)?.closed();
        return;
    }
  }

  private open(tab: string): void {
    if (this.tabs.has(tab)) return;
    const link = new TransportLink(`tab-${tab}`, {
      send: (data) => this.post({ v: TAB_LINKS_VERSION, type: 'data', from: this.tabId, to: tab, data }),
      close: () => this.post({ v: TAB_LINKS_VERSION, type: 'bye', from: this.tabId, to: tab }),
    });
    this.tabs.set(tab, link);
    link.on('close', () => this.tabs.delete(tab));
    this.add(link);
  }

  private post(post: TabPost): void {
    if (this.destroyed && post.type !== 'bye') return;
    this.channel.postMessage(post);
  }
}

function isTabPost(value: unknown): value is TabPost {
  if (typeof value !== 'object' || value === null) return false;
  const { v, type, from, to, data } = value as Record<string, unknown>;
  if (v !== TAB_LINKS_VERSION || !isId(from)) return false;
  if (to !== undefined && !isId(to)) return false;
  if (type === 'data') return isId(to) && data instanceof Uint8Array;
  return type === 'hello' || type === 'welcome' || type === 'bye';
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
