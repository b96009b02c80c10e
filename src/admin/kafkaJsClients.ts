import kafkajs, { type Admin, type Kafka, type Producer } from 'kafkajs';
import { kafkaJsConfig, type ConnectionSettings } from './connectionSettings';

const { Kafka: KafkaClient, logLevel } = kafkajs;

/** A session's kafkajs admin and producer, each connected on first use and kept until close(). */
export class KafkaJsClients {
  private kafka: Kafka | null = null;
  private adminClient: Promise<Admin> | null = null;
  private producerClient: Promise<Producer> | null = null;

  constructor(private readonly settings: ConnectionSettings) {}

  admin(): Promise<Admin> {
    if (!this.adminClient) {
      const admin = this.kafkaClient().admin({ retry: { retries: 2 } });
      this.adminClient = admin.connect().then(() => admin);
      this.adminClient.catch(() => {
        this.adminClient = null;
      });
    }
    return this.adminClient;
  }

  producer(): Promise<Producer> {
    if (!this.producerClient) {
      // Never create topics by producing to them: a typo must be an error, not a new topic.
      const producer = this.kafkaClient().producer({ allowAutoTopicCreation: false, retry: { retries: 2 } });
      this.producerClient = producer.connect().then(() => producer);
      this.producerClient.catch(() => {
        this.producerClient = null;
      });
    }
    return this.producerClient;
  }

  async close(): Promise<void> {
    const admin = this.adminClient;
    const producer = this.producerClient;
    this.adminClient = null;
    this.producerClient = null;
    await Promise.all([admin?.then((client) => client.disconnect()).catch(() => undefined), producer?.then((client) => client.disconnect()).catch(() => undefined)]);
  }

  private kafkaClient(): Kafka {
    // kafkajs logs to stdout by default, which would corrupt --json output; its errors reach us as exceptions.
    this.kafka ??= new KafkaClient({ ...kafkaJsConfig(this.settings), logLevel: logLevel.NOTHING });
    return this.kafka;
  }
}
