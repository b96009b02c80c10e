import net from 'node:net';
import { FrameSplitter } from '../../protocol/frameSplitter';
import type { Logger } from '../../logging/logger';
import type { PipelineOutcome, RequestPipeline } from './requestPipeline';

export interface SocketServerOptions {
  host: string;
  port: number;
  /** socket.request.max.bytes: larger frames close the offending connection only. */
  maxFrameBytes: number;
}

/** Frames waiting beyond this pause reading from the socket until the queue drains. */
const MAX_QUEUED_FRAMES = 64;

/**
 * Requests of one connection started but not yet answered: beyond this, the next request
 * waits for the oldest answer. librdkafka and the Java client keep up to 5 in flight.
 */
const MAX_UNANSWERED = 8;

/**
 * Accepts client connections and serves each one in order: like Kafka's muted channels, a
 * connection's next request is processed only after the previous one has been answered, so
 * responses never overtake each other even when clients pipeline. One exception: a request
 * whose handler says it only waits (an acks=all produce waiting for its followers) lets the
 * next one start, so a producer's pipelined batches replicate together; their answers still
 * leave in request order.
 */
export class SocketServer {
  private readonly server: net.Server;
  private readonly connections = new Set<net.Socket>();
  private nextConnectionId = 1;

  constructor(
    private readonly options: SocketServerOptions,
    private readonly pipeline: RequestPipeline,
    private readonly log: Logger,
  ) {
    this.server = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : this.options.port);
      });
    });
  }

  /** Stops accepting and drops every connection (clients reconnect elsewhere). */
  close(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Drops existing connections but keeps listening (used when a broker is isolated). */
  dropConnections(): void {
    for (const socket of this.connections) socket.destroy();
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  private accept(socket: net.Socket): void {
    const id = this.nextConnectionId++;
    const clientAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    const splitter = new FrameSplitter(this.options.maxFrameBytes);
    const queue: Buffer[] = [];
    let busy = false;
    /** Set after a bad frame: answer what came before it, then close. */
    let closeWhenDrained: string | null = null;
    this.connections.add(socket);

    /**
     * Answers written in the same turn of the event loop leave in one system call: the
     * socket is corked at the first and uncorked once the turn's promise callbacks have run.
     * Pipelined acks=all produce requests complete together when their records reach the
     * followers, and a write per answer cost a syscall (and a wake-up of the client) each.
     */
    let corkedForTurn = false;
    const flushTurn = () => {
      if (!corkedForTurn) return;
      corkedForTurn = false;
      socket.uncork();
    };
    const write = (chunks: readonly Buffer[]) => {
      if (!corkedForTurn) {
        corkedForTurn = true;
        socket.cork();
        process.nextTick(flushTurn);
      }
      for (const chunk of chunks) socket.write(chunk);
    };

    /** Answers already written go out first: destroy() drops whatever a corked socket still holds. */
    const destroyAfterAnswers = () => {
      flushTurn();
      socket.destroy();
    };
    const closeWith = (reason: string) => {
      this.log.warn(`closing connection ${id} from ${clientAddress}: ${reason}`);
      destroyAfterAnswers();
    };

    /** One promise per request started and not yet answered, oldest first; each settles once its answer is written. */
    const unanswered: Promise<void>[] = [];
    let lastAnswer: Promise<void> = Promise.resolve();

    /** Writes `outcome` once every earlier request has been answered. */
    const answerInOrder = (outcome: Promise<PipelineOutcome>): Promise<void> => {
      const previous = lastAnswer;
      const answer = (async () => {
        await previous;
        const result = await outcome;
        if (socket.destroyed || socket.writableEnded) return;
        if (result.kind === 'close') {
          closeWith(result.reason);
        } else if (result.kind === 'respond') {
          write(result.chunks);
          if (result.closeAfter) socket.end();
        }
      })().catch((error: unknown) => {
        this.log.error(`connection ${id} failed`, error);
        destroyAfterAnswers();
      });
      unanswered.push(answer);
      void answer.finally(() => unanswered.shift());
      lastAnswer = answer;
      return answer;
    };

    const pump = async () => {
      if (busy) return;
      busy = true;
      try {
        while (queue.length > 0 && !socket.destroyed && !socket.writableEnded) {
          while (unanswered.length >= MAX_UNANSWERED) await unanswered[0];
          const frame = queue.shift()!;
          let onlyWaiting!: () => void;
          const waiting = new Promise<void>((resolve) => (onlyWaiting = resolve));
          const answer = answerInOrder(this.pipeline.process(frame, { id, clientAddress }, onlyWaiting));
          await Promise.race([answer, waiting]);
          if (socket.isPaused() && closeWhenDrained === null && queue.length < MAX_QUEUED_FRAMES / 2) socket.resume();
        }
        if (closeWhenDrained !== null) {
          await lastAnswer;
          if (!socket.destroyed) closeWith(closeWhenDrained);
        }
      } finally {
        busy = false;
      }
    };

    socket.on('data', (chunk: Buffer) => {
      const { frames, error } = splitter.push(chunk);
      queue.push(...frames);
      if (error !== null) {
        // Requests already complete are still answered in order before the connection goes.
        closeWhenDrained =
          error.kind === 'frame-too-large'
            ? `request of ${error.size} bytes exceeds socket.request.max.bytes (${error.maxFrameBytes})`
            : `negative frame size ${error.size}`;
        socket.pause();
        void pump();
        return;
      }
      if (queue.length >= MAX_QUEUED_FRAMES) socket.pause();
      void pump();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.connections.delete(socket);
      queue.length = 0;
      this.pipeline.connectionClosed(id);
    });
  }
}
