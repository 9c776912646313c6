// @ts-check

/**
 * Policy findings, per-entity evaluation state and run history.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // Current state of every evaluated entity: one row per entity.
  await knex.schema.createTable('policy_entities', table => {
    table.string('entity_ref', 255).primary();
    table.string('kind', 63).notNullable();
    table.string('namespace', 63).notNullable();
    table.string('name', 253).notNullable();
    table.string('title', 255).nullable();
    table.string('owner', 255).nullable();
    table.string('system', 255).nullable();
    // sha256 of the evaluated input (entity + owner + system) and the policy
    // revision it was decided under: a re-run skips the entity when both match.
    table.string('content_hash', 64).nullable();
    table.string('policy_revision', 255).nullable();
    table.string('decision_id', 64).nullable();
    table.string('evaluated_at', 32).nullable();
    table.string('catalog_unknown_reason', 32).nullable();
    table.text('catalog_reason_message').nullable();
    // The same for the workload rules over the entity's live manifests.
    table.string('workload_hash', 64).nullable();
    table.string('workload_revision', 255).nullable();
    table.string('workload_decision_id', 64).nullable();
    table.string('workload_evaluated_at', 32).nullable();
    table.string('workload_unknown_reason', 32).nullable();
    table.text('workload_reason_message').nullable();
    // Gatekeeper audit findings: hash of what was stored, and the audit state
    // (JSON) of the constraints in the entity's clusters.
    table.string('gatekeeper_hash', 64).nullable();
    table.text('gatekeeper_audit').nullable();
    // Combined over all sources: unknown when any source is.
    table.string('status', 16).notNullable();
    // failing 0, warnings 1, unknown 2, passing 3: the fleet list sorts by it,
    // worst first, ascending like entity_ref so one index serves the order.
    table.integer('status_order').notNullable();
    table.string('unknown_reason', 32).nullable();
    table.text('reason_message').nullable();
    table.integer('error_count').notNullable().defaultTo(0);
    table.integer('warning_count').notNullable().defaultTo(0);
    table.integer('info_count').notNullable().defaultTo(0);
    // Set while the engine fails; stored findings are served marked stale.
    table.string('stale_since', 32).nullable();
    table.text('last_error').nullable();
    table.index(['status_order', 'entity_ref'], 'policy_entities_order_idx');
    table.index(['owner', 'status_order', 'entity_ref'], 'policy_entities_owner_idx');
    table.index(['system', 'status_order', 'entity_ref'], 'policy_entities_system_idx');
    table.index(['kind', 'status_order', 'entity_ref'], 'policy_entities_kind_idx');
  });

  await knex.schema.createTable('policy_findings', table => {
    table.bigIncrements('id');
    table
      .string('entity_ref', 255)
      .notNullable()
      .references('entity_ref')
      .inTable('policy_entities')
      .onDelete('CASCADE');
    table.string('source', 16).notNullable();
    table.string('policy', 255).notNullable();
    table.string('rule_id', 255).notNullable();
    table.string('level', 16).notNullable();
    table.text('message').notNullable();
    table.text('remediation').nullable();
    table.text('docs_url').nullable();
    table.text('resource').nullable();
    table.string('evaluated_at', 32).notNullable();
    table.string('policy_revision', 255).notNullable();
    table.string('decision_id', 64).nullable();
    table.index(['entity_ref', 'source'], 'policy_findings_entity_idx');
    table.index(['source', 'level', 'entity_ref'], 'policy_findings_source_level_idx');
    table.index(['level', 'entity_ref'], 'policy_findings_level_idx');
    table.index(['policy', 'rule_id', 'entity_ref'], 'policy_findings_policy_idx');
  });

  await knex.schema.createTable('policy_runs', table => {
    table.bigIncrements('id');
    table.string('trigger', 16).notNullable();
    table.string('started_at', 32).notNullable();
    table.string('finished_at', 32).nullable();
    table.integer('duration_ms').nullable();
    table.string('policy_revision', 255).nullable();
    table.integer('entities').notNullable().defaultTo(0);
    table.integer('evaluated').notNullable().defaultTo(0);
    table.integer('skipped').notNullable().defaultTo(0);
    table.integer('opa_calls').notNullable().defaultTo(0);
    table.integer('errors').notNullable().defaultTo(0);
    table.integer('failing').notNullable().defaultTo(0);
    table.integer('error_count').notNullable().defaultTo(0);
    table.integer('warning_count').notNullable().defaultTo(0);
    table.integer('info_count').notNullable().defaultTo(0);
    table.text('error_messages').nullable();
  });

  // Per-entity level counts of each run, so team history can be charted.
  await knex.schema.createTable('policy_run_entities', table => {
    table.bigInteger('run_id').unsigned().notNullable().references('id').inTable('policy_runs').onDelete('CASCADE');
    table.string('entity_ref', 255).notNullable();
    table.string('owner', 255).nullable();
    table.string('status', 16).notNullable();
    table.integer('error_count').notNullable();
    table.integer('warning_count').notNullable();
    table.integer('info_count').notNullable();
    table.primary(['run_id', 'entity_ref']);
    table.index(['owner', 'run_id'], 'policy_run_entities_owner_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('policy_run_entities');
  await knex.schema.dropTable('policy_runs');
  await knex.schema.dropTable('policy_findings');
  await knex.schema.dropTable('policy_entities');
};
