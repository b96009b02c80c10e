import net from 'node:net';
import { FrameSplitter } from '../../protocol/frameSplitter';
import type { Logger } from '../../logging/logger';
import type { RequestPipeline } from './requestPipeline';

export interface SocketServerOptions {
  host: string;
  port: number;
  /** socket.request.max.bytes: larger frames close the offending connection only. */
  maxFrameBytes: number;
}

/** Frames waiting beyond this pause reading from the socket until the queue drains. */
const MAX_QUEUED_FRAMES = 64;

/**
 * Accepts client connections and serves each one strictly in order: like Kafka's muted
 * channels, a connection's next request is processed only after the previous one has been
 * answered, so responses can never overtake each other even when clients pipeline.
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

    const closeWith = (reason: string) => {
      this.log.warn(`closing connection ${id} from ${clientAddress}: ${reason}`);
      socket.destroy();
    };

    const pump = async () => {
      if (busy) return;
      busy = true;
      try {
        while (queue.length > 0 && !socket.destroyed) {
          const frame = queue.shift()!;
          const outcome = await this.pipeline.process(frame, { id, clientAddress });
          if (socket.destroyed) break;
          if (outcome.kind === 'close') {
            closeWith(outcome.reason);
            break;
          }
          if (outcome.kind === 'respond') {
            socket.cork();
            for (const chunk of outcome.chunks) socket.write(chunk);
            socket.uncork();
            if (outcome.closeAfter) {
              socket.end();
              break;
            }
          }
          if (socket.isPaused() && closeWhenDrained === null && queue.length < MAX_QUEUED_FRAMES / 2) socket.resume();
        }
        if (closeWhenDrained !== null && !socket.destroyed) closeWith(closeWhenDrained);
      } catch (error) {
        this.log.error(`connection ${id} failed`, error);
        socket.destroy();
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
