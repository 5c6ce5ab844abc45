import { AppController } from '../../src/app/controller.js';
import type { AppState, Intent } from '../../src/app/state.js';
import type { TestApp } from './fakes.js';
import { assert, assertEqual } from '../assert.js';

/** Driving a controller as the page does: start it, send intents, let the fake network deliver. */

export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export async function started(app: TestApp): Promise<AppController> {
  const controller = new AppController(app.deps);
  await controller.start();
  return controller;
}

/** Sends each intent in turn, then waits for what they set off (deliveries, answers) to land. */
export async function send(controller: AppController, ...intents: Intent[]): Promise<AppState> {
  for (const intent of intents) await controller.dispatch(intent);
  await settle();
  await settle();
  return controller.current;
}

export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert(condition(), `timed out waiting for ${what}`);
}

/** The handshake: the joiner asks (with a name when it has none), agrees, and the creator lets them in. */
export async function admitted(host: { controller: AppController } | AppController, joiner: AppController, displayName?: string): Promise<AppState> {
  await send(joiner, { type: 'accept-invite', ...(displayName ? { displayName } : {}) });
  await until(() => joiner.current.joining?.stage === 'offered', 'the offer');
  await send(joiner, { type: 'agree-invite', agreed: true });
  await until(() => hostOf(host).current.board?.membership.atDoor.some((j) => j.agreed) === true, 'the agreement');
  const door = hostOf(host).current.board!.membership.atDoor[0]!;
  assertEqual(door.code, joiner.current.joining?.code, 'both screens show one code');
  await send(hostOf(host), { type: 'admit-join', member: door.member });
  await until(() => joiner.current.route.name === 'board', 'the board');
  return send(joiner);
}

const hostOf = (host: { controller: AppController } | AppController): AppController => (host instanceof AppController ? host : host.controller);
