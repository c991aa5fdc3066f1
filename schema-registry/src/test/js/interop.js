// Interop driver for SchemaRegistryInteropIT: registers, encodes and decodes through
// @kafkajs/confluent-schema-registry and kafkajs, against Oxbow's registry and broker.
// Usage:
//   node interop.js produce <bootstrap> <registryUrl> <topic> <subject> <schemaJson> <valuesJson>
//   node interop.js consume <bootstrap> <registryUrl> <topic> <count>
// Prints one JSON line on stdout with the result.
'use strict';
const { Kafka, logLevel } = require('kafkajs');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');

async function produce(kafka, registry, [topic, subject, schemaJson, valuesJson]) {
  const { id } = await registry.register({ type: SchemaType.AVRO, schema: schemaJson }, { subject });
  const latest = await registry.getLatestSchemaId(subject);
  const values = JSON.parse(valuesJson);
  const messages = [];
  for (const v of values) {
    messages.push({ key: String(v.id), value: await registry.encode(id, v) });
  }
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages });
  await producer.disconnect();
  return { id, latest, sent: messages.length };
}

async function consume(kafka, registry, [topic, countText]) {
  const count = Number(countText);
  const consumer = kafka.consumer({ groupId: 'interop-' + topic + '-' + Date.now() });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const out = [];
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out after ' + out.length + ' records')), 60000);
    consumer.run({
      eachMessage: async ({ message }) => {
        const schemaId = message.value.readInt32BE(1);
        const value = await registry.decode(message.value);
        out.push({ schemaId, value });
        if (out.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      },
    }).catch(reject);
  });
  await consumer.disconnect();
  return { records: out };
}

async function main() {
  const [mode, bootstrap, registryUrl, ...rest] = process.argv.slice(2);
  const kafka = new Kafka({ clientId: 'oxbow-interop', brokers: [bootstrap], logLevel: logLevel.ERROR });
  const registry = new SchemaRegistry({ host: registryUrl });
  const result = mode === 'produce' ? await produce(kafka, registry, rest) : await consume(kafka, registry, rest);
  process.stdout.write(JSON.stringify(result, (k, v) => (typeof v === 'bigint' ? v.toString() : v)) + '\n');
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write('interop failed: ' + (e && e.stack ? e.stack : e) + '\n');
    process.exit(1);
  },
);
