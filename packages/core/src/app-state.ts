/**
 * The states of an application and what an action refused for its state
 * throws: CORE_ERR_INVALID_STATE, naming the state the app is in.
 */
import { coreError } from './errors.ts';

export type AppState = 'created' | 'starting' | 'started' | 'stopping' | 'stopped' | 'failed';

/** The states in which an app resolves services. */
export const USABLE: readonly AppState[] = ['starting', 'started', 'stopping'];

/** Throws CORE_ERR_INVALID_STATE unless application `app`, in `state`, is in one of `states`. */
export function expectState(app: string, state: AppState, states: readonly AppState[], action: string): void {
  if (states.includes(state)) return;
  throw coreError('CORE_ERR_INVALID_STATE', `Cannot ${action}: application '${app}' is ${state} (allowed when ${states.join(' or ')})`, {
    details: { app, state, action },
  });
}

/**
 * Why a lookup is refused: the state, or, still 'stopping', disposal under
 * way (see the app's #disposeInstances).
 */
export function refuseLookup(app: string, state: AppState): void {
  expectState(app, state, USABLE, 'resolve services');
  throw coreError('CORE_ERR_INVALID_STATE', `Cannot resolve services: application '${app}' is stopping and disposing its services (lookups end when disposal begins)`, {
    details: { app, state, action: 'resolve services' },
  });
}
