/**
 * @module
 * In-memory keyed state, partitioned by key group so a snapshot can be split
 * by key-group range on rescale. The task sets the current key before every
 * record or timer; state handles read it at call time.
 */
import type { KeyedStateStore, ListState, MapState, ValueState } from '../api';
import { canonicalKey, keyGroupOf } from '../keyGroups';

/** One key group: state name -> canonical key -> [key, value]. */
type KeyGroupState = Map<string, Map<string, [unknown, unknown]>>;

/** Serialized keyed state: key group -> state name -> entries [key, value]. */
export type KeyedSnapshot = Record<string, Record<string, Array<[unknown, unknown]>>>;

export class NoCurrentKeyError extends Error {
  override readonly name = 'NoCurrentKeyError';
}

export class KeyedStateBackend implements KeyedStateStore {
  private readonly groups = new Map<number, KeyGroupState>();
  private currentGroup: KeyGroupState | null = null;
  private currentKeyText = '';
  private currentKeyValue: unknown = undefined;
  private entries = 0;

  constructor(readonly maxParallelism: number) {}

  /** Scopes state to `key` (computes its key group). */
  setCurrentKey(key: unknown): void {
    if (key === undefined || key === null) {
      this.currentGroup = null;
      return;
    }
    const group = keyGroupOf(key, this.maxParallelism);
    let state = this.groups.get(group);
    if (!state) {
      state = new Map();
      this.groups.set(group, state);
    }
    this.currentGroup = state;
    this.currentKeyText = canonicalKey(key);
    this.currentKeyValue = key;
  }

  get currentKey(): unknown {
    return this.currentKeyValue;
  }

  /** Number of (state, key) entries held. */
  get size(): number {
    return this.entries;
  }

  private table(name: string): Map<string, [unknown, unknown]> {
    const group = this.currentGroup;
    if (!group)
      throw new NoCurrentKeyError(
        'keyed state is only available on keyed steps, while a record or timer is processed',
      );
    let table = group.get(name);
    if (!table) {
      table = new Map();
      group.set(name, table);
    }
    return table;
  }

  private read(name: string): unknown {
    return this.table(name).get(this.currentKeyText)?.[1];
  }

  private write(name: string, value: unknown): void {
    const table = this.table(name);
    const existing = table.get(this.currentKeyText);
    if (existing) existing[1] = value;
    else {
      table.set(this.currentKeyText, [this.currentKeyValue, value]);
      this.entries++;
    }
  }

  private remove(name: string): void {
    if (this.table(name).delete(this.currentKeyText)) this.entries--;
  }

  value<T>(name: string): ValueState<T> {
    return {
      get: () => this.read(name) as T | undefined,
      set: (value: T) => this.write(name, value),
      clear: () => this.remove(name),
    };
  }

  map<V>(name: string): MapState<V> {
    const current = (): Record<string, V> | undefined =>
      this.read(name) as Record<string, V> | undefined;
    return {
      get: (mapKey) => {
        const map = current();
        return map && Object.hasOwn(map, mapKey) ? map[mapKey] : undefined;
      },
      set: (mapKey, value) => {
        let map = current();
        if (!map) {
          map = Object.create(null) as Record<string, V>;
          this.write(name, map);
        }
        map[mapKey] = value;
      },
      delete: (mapKey) => {
        const map = current();
        if (!map) return;
        delete map[mapKey];
        if (Object.keys(map).length === 0) this.remove(name);
      },
      has: (mapKey) => {
        const map = current();
        return map !== undefined && Object.hasOwn(map, mapKey);
      },
      entries: () => Object.entries(current() ?? {}),
      clear: () => this.remove(name),
    };
  }

  list<T>(name: string): ListState<T> {
    return {
      get: () => ((this.read(name) as T[] | undefined) ?? []).slice(),
      add: (value) => {
        const list = this.read(name) as T[] | undefined;
        if (list) list.push(value);
        else this.write(name, [value]);
      },
      update: (values) =>
        values.length === 0 ? this.remove(name) : this.write(name, values.slice()),
      clear: () => this.remove(name),
    };
  }

  /** Every key that has state, across key groups (for end-of-input sweeps). */
  keys(): unknown[] {
    const seen = new Map<string, unknown>();
    for (const group of this.groups.values()) {
      for (const table of group.values()) for (const [text, [key]] of table) seen.set(text, key);
    }
    return [...seen.values()];
  }

  /** A JSON-ready copy of the raw structure (values are copied later by JSON serialisation). */
  snapshot(): KeyedSnapshot {
    const out: KeyedSnapshot = {};
    for (const [group, states] of this.groups) {
      const byName: Record<string, Array<[unknown, unknown]>> = {};
      let any = false;
      for (const [name, table] of states) {
        if (table.size === 0) continue;
        byName[name] = [...table.values()];
        any = true;
      }
      if (any) out[String(group)] = byName;
    }
    return out;
  }

  /** Loads the key groups in [start, end] from old snapshots (other groups belong to other subtasks). */
  restore(snapshots: KeyedSnapshot[], range: { start: number; end: number }): void {
    for (const snapshot of snapshots) {
      for (const [groupText, byName] of Object.entries(snapshot)) {
        const group = Number(groupText);
        if (!Number.isInteger(group) || group < range.start || group > range.end) continue;
        let states = this.groups.get(group);
        if (!states) {
          states = new Map();
          this.groups.set(group, states);
        }
        for (const [name, entries] of Object.entries(byName)) {
          let table = states.get(name);
          if (!table) {
            table = new Map();
            states.set(name, table);
          }
          for (const [key, value] of entries) {
            const text = canonicalKey(key);
            if (!table.has(text)) this.entries++;
            table.set(text, [key, value]);
          }
        }
      }
    }
  }
}
