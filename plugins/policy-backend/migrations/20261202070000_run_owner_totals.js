// @ts-check

/**
 * Run history per owner instead of per entity: a run stored a copy of every
 * entity's counts (10,000 rows per run, 1.44 million a day at the default
 * schedule). The trend per team needs only the totals per owner and run.
 * Existing snapshots are aggregated, then dropped.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('policy_run_owners', table => {
    table.bigInteger('run_id').unsigned().notNullable().references('id').inTable('policy_runs').onDelete('CASCADE');
    // '' for entities without an owner.
    table.string('owner', 255).notNullable();
    table.integer('entities').notNullable();
    table.integer('failing').notNullable();
    table.integer('error_count').notNullable();
    table.integer('warning_count').notNullable();
    table.integer('info_count').notNullable();
    table.primary(['run_id', 'owner']);
    table.index(['owner', 'run_id'], 'policy_run_owners_owner_idx');
  });
  await knex.raw(
    `INSERT INTO policy_run_owners (run_id, owner, entities, failing, error_count, warning_count, info_count)
     SELECT run_id, COALESCE(owner, ''), COUNT(*), SUM(CASE WHEN status = 'failing' THEN 1 ELSE 0 END),
            SUM(error_count), SUM(warning_count), SUM(info_count)
     FROM policy_run_entities GROUP BY run_id, COALESCE(owner, '')`,
  );
  await knex.schema.dropTable('policy_run_entities');
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
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
  await knex.schema.dropTable('policy_run_owners');
};
