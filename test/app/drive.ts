import { AppController } from '../../src/app/controller.js';
import type { AppState, Intent } from '../../src/app/state.js';
import type { TestApp } from './fakes.js';

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
