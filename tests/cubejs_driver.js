// cubejs_driver.js: Cube's ksqlDB driver (@cubejs-backend/ksql-driver,
// unmodified) against a running sluiced: run by tests/cubejs_driver.sh
// with NODE_PATH pointing at the installed package and SLUICE_URL,
// SLUICE_USER and SLUICE_PASSWORD set.  Exits non-zero on the first
// difference.
'use strict';
const assert = require('assert');
const { KsqlDriver } = require('@cubejs-backend/ksql-driver');

async function main() {
  const driver = new KsqlDriver({
    url: process.env.SLUICE_URL,
    username: process.env.SLUICE_USER,
    password: process.env.SLUICE_PASSWORD,
  });

  // testConnection: SHOW VARIABLES through /ksql
  await driver.testConnection();

  // DDL, as Cube sends it (no trailing semicolon: the driver adds it)
  await driver.query(
    "CREATE STREAM ORDERS (ID INT KEY, AMOUNT DOUBLE, STATUS STRING) " +
    "WITH (kafka_topic='orders', value_format='JSON', partitions=1)");
  await driver.query(
    'CREATE TABLE `cube-TOTALS` AS SELECT STATUS, SUM(AMOUNT) AS TOTAL, COUNT(*) AS N ' +
    'FROM ORDERS GROUP BY STATUS', [], { streamOffset: 'earliest' });

  // fetchTables: SHOW TABLES and SHOW STREAMS, schema-dash-name split
  const tables = await driver.fetchTables();
  const byName = Object.fromEntries(tables.map((t) => [t.fullTableName, t]));
  assert.deepStrictEqual(byName.ORDERS, { tableName: 'ORDERS', tableSchema: '', fullTableName: 'ORDERS' });
  assert.deepStrictEqual(byName['cube-TOTALS'],
    { tableName: 'TOTALS', tableSchema: 'cube', fullTableName: 'cube-TOTALS' });
  assert.deepStrictEqual((await driver.getTablesQuery('cube')).map((t) => t.table_name), ['TOTALS']);

  // tablesSchema: DESCRIBE of each, fields with their schema types
  const schema = await driver.tablesSchema();
  assert.deepStrictEqual(schema[''].ORDERS, [
    { name: 'ID', type: 'INTEGER' },
    { name: 'AMOUNT', type: 'DOUBLE' },
    { name: 'STATUS', type: 'STRING' },
  ]);
  assert.deepStrictEqual(schema.cube.TOTALS, [
    { name: 'STATUS', type: 'STRING' },
    { name: 'TOTAL', type: 'DOUBLE' },
    { name: 'N', type: 'BIGINT' },
  ]);

  // the download description of a table (DESCRIBE: topic, partitions)
  const dl = await driver.downloadTable('cube.TOTALS', {});
  assert.strictEqual(dl.streamingTable, 'cube-TOTALS');
  assert.strictEqual(dl.partitions, 1);
  assert.deepStrictEqual(dl.types.map((t) => t.name), ['STATUS', 'TOTAL', 'N']);

  // an error: the driver shows the server's message
  await assert.rejects(
    driver.query('CREATE STREAM BROKEN (X INT) WITH (kafka_topic=\'b\')'),
    (e) => /ksql API error for 'CREATE STREAM BROKEN.*VALUE_FORMAT/i.test(e.message) ||
      assert.fail(`unexpected error: ${e.message}`));
  await assert.rejects(driver.query('DESCRIBE `NO_SUCH_THING`'), /NO_SUCH_THING/);

  // and a pre-aggregation's drop
  await driver.dropTable('cube.TOTALS');
  // (the processing log is listed too, as ksqlDB lists its own)
  const after = (await driver.fetchTables()).map((t) => t.fullTableName).sort();
  assert.deepStrictEqual(after, ['ORDERS', 'SLUICE_PROCESSING_LOG']);
  console.log('cubejs ksql-driver: all checks passed');
}

main().catch((e) => {
  console.error(e.stack || e.message || e);
  process.exit(1);
});
