// L2 contract of @rampart/core: CloudEvents ids with a run id (`instance`),
// unique across runs of one app id. Locked: never modified, only added to.
import { describe, expect, it } from 'vitest';
import { cloudEventsObserver, createApp, defineModule, silentLogger, toCloudEvent } from '@rampart/core';
import type { CloudEvent, LifecycleEvent, LifecycleEventData } from '@rampart/core';

describe('@rampart/core L2: CloudEvents instance', () => {
  it('toCloudEvent puts a given instance between the app id and seq', () => {
    const event: LifecycleEvent = { type: 'started', app: 'shop', module: 'db', time: 0, seq: 3 };
    expect(toCloudEvent(event, { instance: 'boot-1' }).id).toBe('shop:boot-1:3');
  });

  it('cloudEventsObserver never repeats source + id when an app with the same id runs again', async () => {
    const sent: CloudEvent<LifecycleEventData>[] = [];
    for (let run = 0; run < 2; run += 1) {
      const app = createApp({ id: 'shop', logger: silentLogger, observers: [cloudEventsObserver((ce) => void sent.push(ce))], modules: [defineModule({ name: 'db', version: '1.0.0' })] });
      await app.start();
      await app.stop();
    }
    const keys = sent.map((ce) => `${ce.source} ${ce.id}`);
    expect(keys).toHaveLength(10);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
