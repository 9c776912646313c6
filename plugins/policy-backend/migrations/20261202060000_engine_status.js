// @ts-check

/**
 * The latest status report of each OPA instance (OPA's status API), for the
 * bundle errors every policy view shows. One row per instance; rows older
 * than a day are deleted when a report arrives.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('policy_engine_status', table => {
    table.string('instance_id', 255).primary();
    table.string('reported_at', 32).notNullable();
    table.string('opa_version', 64).nullable();
    // JSON: the report's bundles, as EngineBundleStatus (name, revision, errors).
    table.text('bundles').notNullable();
    table.index(['reported_at'], 'policy_engine_status_reported_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('policy_engine_status');
};
