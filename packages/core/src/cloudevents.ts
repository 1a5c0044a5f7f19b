/**
 * Lifecycle events as CloudEvents 1.0 in the JSON structured format
 * (cloudevents/spec json-format.md): required attributes `specversion`, `id`,
 * `source`, `type`; optional `time` (RFC 3339), `subject`, `datacontenttype`,
 * and `data`. Written by hand: the format is a handful of fields.
 */
import { randomUUID } from 'node:crypto';
import type { LifecycleEvent, ObserverObject } from './events.ts';

/** Media type of a structured-mode CloudEvent (HTTP `Content-Type`). */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';

export interface CloudEvent<D = unknown> {
  readonly specversion: '1.0';
  /** `<app id>:<seq>`, or `<app id>:<instance>:<seq>` with the `instance` option (see there). */
  readonly id: string;
  /** URI-reference of the emitting app. */
  readonly source: string;
  /** Reverse-DNS type, e.g. `io.rampart.lifecycle.started`. */
  readonly type: string;
  readonly time: string;
  readonly subject?: string;
  readonly datacontenttype: 'application/json';
  readonly data: D;
}

export interface LifecycleEventData {
  readonly app: string;
  readonly module: string | null;
  readonly seq: number;
  readonly durationMs?: number;
  readonly error?: LifecycleEvent['error'];
}

export interface CloudEventOptions {
  /** Default `/rampart/apps/<app id>`. */
  source?: string;
  /** Default `io.rampart.lifecycle`. */
  typePrefix?: string;
  /**
   * Names this run of the app inside `id`. CloudEvents requires `source` + `id`
   * to be unique per distinct event, and `seq` restarts at 1 with every app
   * instance: without `instance`, a restarted app (same app id) sends `shop:1`
   * again. `cloudEventsObserver` sets a random UUID per observer by default.
   */
  instance?: string;
}

/**
 * Converts a lifecycle event.
 * @example
 * app.subscribe((e) => void fetch(sink, { method: 'POST', headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE }, body: JSON.stringify(toCloudEvent(e)) }));
 */
export function toCloudEvent(event: LifecycleEvent, options: CloudEventOptions = {}): CloudEvent<LifecycleEventData> {
  const data: LifecycleEventData = {
    app: event.app,
    module: event.module ?? null,
    seq: event.seq,
    ...(event.durationMs === undefined ? {} : { durationMs: event.durationMs }),
    ...(event.error === undefined ? {} : { error: event.error }),
  };
  return {
    specversion: '1.0',
    id: options.instance === undefined ? `${event.app}:${String(event.seq)}` : `${event.app}:${options.instance}:${String(event.seq)}`,
    source: options.source ?? `/rampart/apps/${encodeURIComponent(event.app)}`,
    type: `${options.typePrefix ?? 'io.rampart.lifecycle'}.${event.type}`,
    time: new Date(event.time).toISOString(),
    ...(event.module === undefined ? {} : { subject: event.module }),
    datacontenttype: 'application/json',
    data,
  };
}

/**
 * An observer that forwards every lifecycle event as a CloudEvent to `send`
 * (an HTTP POST, a queue producer). It runs like any observer: isolated and
 * time-limited, so a slow sink never delays the lifecycle. Its ids carry an
 * `instance` (a random UUID made once per observer unless given), so events
 * of a restarted app never repeat an earlier run's `source` + `id`.
 * @example
 * createApp({ modules, observers: [cloudEventsObserver((ce) => producer.send('lifecycle', JSON.stringify(ce)))] });
 */
export function cloudEventsObserver(send: (event: CloudEvent<LifecycleEventData>) => void | Promise<void>, options: CloudEventOptions & { name?: string } = {}): ObserverObject {
  const settings = { ...options, instance: options.instance ?? randomUUID() };
  return { name: options.name ?? 'cloudevents', onEvent: (event) => send(toCloudEvent(event, settings)) };
}
