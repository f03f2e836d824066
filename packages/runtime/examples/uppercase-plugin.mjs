/**
 * An example FlinkNet plugin, loadable with `flinknet-taskmanager --plugin
 * packages/runtime/examples/uppercase-plugin.mjs`. It registers:
 *
 * - Operator `example.uppercase`: upper-cases the string field named by
 *   operatorProperties.field (default "key"); rejects records without it.
 * - Operator `example.running-count`: keyed; emits { key, count } with the
 *   running count of the key, kept in keyed state (checkpointed, rescalable).
 * - Source `example.words`: emits the words of operatorProperties.text, one
 *   split per word position modulo 8, with checkpointable offsets.
 *
 * A plugin exports `register(registry)` (as here) or a default array of
 * operator definitions.
 */

/** @param {import('@flinknet/runtime').OperatorRegistry} registry */
export function register(registry) {
  registry.register({
    operatorType: 'Operator',
    typeName: 'example.uppercase',
    description: 'Upper-cases one string field',
    create(ctx) {
      const field = typeof ctx.properties.field === 'string' ? ctx.properties.field : 'key';
      return {
        processRecord(value, _key, out) {
          if (value === null || typeof value !== 'object' || typeof value[field] !== 'string') {
            throw new Error(`record has no string field "${field}"`);
          }
          out.emit({ ...value, [field]: value[field].toUpperCase() });
        },
      };
    },
  });

  registry.register({
    operatorType: 'Operator',
    typeName: 'example.running-count',
    description: 'Running count per key (keyed state)',
    create(ctx) {
      if (!ctx.keyed)
        throw new Error(`step "${ctx.stepName}" needs keyed input (put a key-by before it)`);
      const count = ctx.state.value('count');
      return {
        processRecord(_value, key, out) {
          const next = (count.get() ?? 0) + 1;
          count.set(next);
          out.emit({ key, count: next });
        },
      };
    },
  });

  registry.register({
    operatorType: 'Source',
    typeName: 'example.words',
    description: 'Emits the words of operatorProperties.text',
    splits: () => Array.from({ length: 8 }, (_, i) => String(i)),
    create(ctx) {
      const words = String(ctx.properties.text ?? '')
        .split(/\s+/)
        .filter(Boolean);
      const splits = ctx.splits.map((s) => ({ id: s.id, next: s.state?.next ?? Number(s.id) }));
      return {
        poll(out, max) {
          let emitted = 0;
          for (const split of splits) {
            while (split.next < words.length && emitted < max) {
              out.emit({ word: words[split.next], position: split.next });
              split.next += 8;
              emitted++;
            }
          }
          return emitted === 0 ? 'end' : 'more';
        },
        snapshotState() {
          return Object.fromEntries(splits.map((s) => [s.id, { next: s.next }]));
        },
      };
    },
  });
}
