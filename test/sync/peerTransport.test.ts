import { afterEach, describe, expect, it } from 'vitest';
import { BroadcastChannelTransport } from '../../src/sync/broadcastChannelTransport.js';
import { MemoryNetwork } from './memoryTransport.js';
import { peerTransportContract } from './peerTransportContract.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

peerTransportContract('in-memory network', () => {
  const network = new MemoryNetwork(1);
  return {
    a: network.transport('a'),
    b: network.transport('b'),
    connect: () => network.connect('a', 'b'),
    settle: async () => void network.deliverAll(),
    cleanup: () => network.disconnect('a', 'b'),
  };
});

let channelNumber = 0;
peerTransportContract('BroadcastChannel between tabs', () => {
  const name = `contract-${channelNumber++}`;
  let a: BroadcastChannelTransport | undefined;
  let b: BroadcastChannelTransport | undefined;
  const pair = {
    get a() {
      return (a ??= new BroadcastChannelTransport(name));
    },
    get b() {
      return (b ??= new BroadcastChannelTransport(name));
    },
    connect: () => {},
    settle: tick,
    cleanup: () => [a, b].forEach((transport) => transport?.destroy()),
  };
  return pair;
});

describe('BroadcastChannelTransport', () => {
  const open: BroadcastChannelTransport[] = [];
  afterEach(() => open.splice(0).forEach((transport) => transport.destroy()));
  const tab = (name: string) => {
    const transport = new BroadcastChannelTransport(name);
    open.push(transport);
    return transport;
  };

  it('links every pair of three tabs once', async () => {
    const tabs = [tab('three'), tab('three'), tab('three')];
    for (let i = 0; i < 20 && tabs.some((t) => t.links().length < 2); i += 1) await tick();
    expect(tabs.map((t) => t.links().length)).toEqual([2, 2, 2]);
  });

  it('closes the links of a tab that goes away', async () => {
    const [first, second] = [tab('gone'), tab('gone')];
    for (let i = 0; i < 20 && second!.links().length === 0; i += 1) await tick();
    first!.destroy();
    for (let i = 0; i < 20 && second!.links().length > 0; i += 1) await tick();
    expect(second!.links()).toEqual([]);
  });

  it('ignores posts of the wrong shape and data meant for another tab', async () => {
    const listener = tab('hostile');
    const received: Uint8Array[] = [];
    listener.on('link', (link) => link.on('message', (message) => received.push(message)));
    const hostile = new BroadcastChannel('hostile');
    hostile.postMessage({ v: 1, type: 'hello', from: 'x' });
    await tick();
    for (const post of [
      null,
      'hello',
      { v: 2, type: 'data', from: 'x', to: listener.tabId, data: new Uint8Array([1]) },
      { v: 1, type: 'data', from: 'x', to: listener.tabId, data: [1, 2] },
      { v: 1, type: 'data', from: 'x', to: 'someone-else', data: new Uint8Array([2]) },
      { v: 1, type: 'data', from: 'y'.repeat(65), to: listener.tabId, data: new Uint8Array([3]) },
      { v: 1, type: 'data', from: 'x', to: listener.tabId, data: new Uint8Array([4]) },
    ]) {
      hostile.postMessage(post);
    }
    for (let i = 0; i < 20 && received.length === 0; i += 1) await tick();
    expect(received).toEqual([new Uint8Array([4])]);
    hostile.close();
  });
});
