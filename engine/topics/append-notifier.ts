/** Append listeners and per-partition long-poll waiters, shared by the embedded and memory logs. */
import type { AppendListener } from './batch-log.js';
import { topicPartitionKey } from './topics.js';

export class AppendNotifier {
  private readonly listeners = new Set<AppendListener>();
  private readonly waiters = new Map<string, Set<() => void>>();

  subscribe(listener: AppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(topic: string, partition: number): void {
    for (const l of this.listeners) l(topic, partition);
    if (this.waiters.size === 0) return;
    const key = topicPartitionKey(topic, partition);
    const set = this.waiters.get(key);
    if (!set) return;
    this.waiters.delete(key);
    for (const w of set) w();
  }

  /** Resolves true on the next append to the partition, false after `ms`. */
  waitFor(topic: string, partition: number, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const key = topicPartitionKey(topic, partition);
      let set = this.waiters.get(key);
      if (!set) this.waiters.set(key, (set = new Set()));
      const wake = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiters.get(key)?.delete(wake);
        resolve(false);
      }, ms);
      set.add(wake);
    });
  }

  /** Wakes every waiter (close). */
  wakeAll(): void {
    const all = [...this.waiters.values()];
    this.waiters.clear();
    for (const set of all) for (const w of set) w();
  }
}
