import { type Kysely, sql } from 'kysely';
import type { UsageCount, UsageRepo } from '../../../ports/store.js';
import type { Database } from '../schema.js';

export class KyselyUsageRepo implements UsageRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async add(counts: readonly UsageCount[]) {
    for (const c of counts) {
      await this.db
        .insertInto('llm_usage')
        .values({
          workspace_id: c.workspaceId,
          day: c.day,
          model: c.model,
          purpose: c.purpose,
          calls: c.calls,
          failures: c.failures,
          input_tokens: c.inputTokens,
          output_tokens: c.outputTokens,
        })
        .onConflict((oc) =>
          oc.columns(['workspace_id', 'day', 'model', 'purpose']).doUpdateSet({
            calls: sql`llm_usage.calls + ${c.calls}`,
            failures: sql`llm_usage.failures + ${c.failures}`,
            input_tokens: sql`llm_usage.input_tokens + ${c.inputTokens}`,
            output_tokens: sql`llm_usage.output_tokens + ${c.outputTokens}`,
          }),
        )
        .execute();
    }
  }

  async list(workspaceId: string, from: string, to: string) {
    const rows = await this.db
      .selectFrom('llm_usage')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('day', '>=', from)
      .where('day', '<=', to)
      .orderBy('day')
      .orderBy('model')
      .orderBy('purpose')
      .execute();
    return rows.map(
      (r): UsageCount => ({
        workspaceId: r.workspace_id,
        day: r.day,
        model: r.model,
        purpose: r.purpose as UsageCount['purpose'],
        calls: Number(r.calls),
        failures: Number(r.failures),
        inputTokens: Number(r.input_tokens),
        outputTokens: Number(r.output_tokens),
      }),
    );
  }
}
