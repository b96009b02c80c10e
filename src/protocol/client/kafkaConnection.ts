/**
 * One TCP (or TLS) connection to a Kafka broker, speaking our generated codecs: for the
 * admin service's requests that kafkajs lacks, and for tests that talk to the engine.
 *
 * Kafka answers the requests of one connection in the order it received them, so responses
 * are matched to a FIFO of requests in flight and the correlation id only confirms the
 * match; several requests may be in flight at once (pipelining).
 */
import net from 'node:net';
import tls from 'node:tls';
import { ErrorCode, KafkaError } from '../errors';
import { DEFAULT_MAX_FRAME_BYTES, FrameSplitter, type FrameError } from '../frameSplitter';
import { ApiKey, type ApiKeyValue, type RequestByKey, type ResponseByKey } from '../generated/apis';
import { apiDescriptor } from '../requestFrame';
import { KafkaConnectionError } from './connectionError';
import { decodeResponseFrame, encodeRequestFrame } from './frames';

export interface KafkaConnectionOptions {
  host: string;
  port: number;
  /** Sent in every request header; brokers use it in logs and quotas. */
  clientId?: string | null;
  /** Connect with TLS using these node:tls options (CA, client certificate, servername...). */
  tls?: tls.ConnectionOptions;
  /** TCP connect plus TLS handshake. */
  connectTimeoutMs?: number;
  /** Default per-request timeout; `SendOptions.timeoutMs` overrides it. */
  requestTimeoutMs?: number;
  /** A response frame larger than this is treated as garbage and closes the connection. */
  maxResponseBytes?: number;
  /** ApiVersions v3+ identify the client software (KIP-511); brokers show it in metrics. */
  softwareName?: string;
  softwareVersion?: string;
  /**
   * Runs once the socket is up and before connect() resolves, so before any other request:
   * the place for SASL (SaslHandshake + SaslAuthenticate). Its channel is the only way to
   * send during that phase; if it throws, the connection closes and connect() rejects.
   */
  authenticate?: (channel: RequestChannel) => Promise<void>;
}

export interface SendOptions {
  /** Defaults to the version chosen by negotiate(). */
  version?: number;
  timeoutMs?: number;
}

export interface RequestChannel {
  send<K extends ApiKeyValue>(apiKey: K, request: RequestByKey[K], options?: SendOptions): Promise<ResponseByKey[K]>;
  negotiate(): Promise<ReadonlyMap<ApiKeyValue, number>>;
}

const DEFAULTS = {
  clientId: 'samsa',
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  softwareName: 'samsa',
  softwareVersion: 'unknown',
};

/** After close(), how long the peer gets to acknowledge our FIN before the socket is destroyed. */
const CLOSE_GRACE_MS = 1_000;
const MAX_CORRELATION_ID = 0x7fffffff;

type State = 'idle' | 'connecting' | 'authenticating' | 'ready' | 'closed';
/** Who is sending: the authenticate hook may only send while authenticating, everyone else once ready. */
type Phase = 'authenticating' | 'ready';

interface InFlight {
  correlationId: number;
  apiKey: ApiKeyValue;
  version: number;
  resolve: (body: unknown) => void;
  reject: (error: Error) => void;
  /**
   * On expiry the promise is rejected but the entry stays queued: its answer may still come
   * and must be consumed to keep the FIFO aligned (settling a settled promise is a no-op).
   */
  timer: NodeJS.Timeout;
}

export class KafkaConnection implements RequestChannel {
  private state: State = 'idle';
  private socket: net.Socket | null = null;
  private socketClosed: Promise<void> = Promise.resolve();
  private readonly inFlight: InFlight[] = [];
  private nextCorrelationId = 0;
  private lastSocketError: Error | null = null;
  private negotiated: ReadonlyMap<ApiKeyValue, number> | null = null;
  private readonly splitter: FrameSplitter;
  private readonly clientId: string | null;

  constructor(private readonly options: KafkaConnectionOptions) {
    this.splitter = new FrameSplitter(options.maxResponseBytes ?? DEFAULT_MAX_FRAME_BYTES);
    this.clientId = options.clientId === undefined ? DEFAULTS.clientId : options.clientId;
  }

  get address(): string {
    return `${this.options.host}:${this.options.port}`;
  }

  get isReady(): boolean {
    return this.state === 'ready';
  }

  /** Versions chosen by the last negotiate(), by API key. */
  get versions(): ReadonlyMap<ApiKeyValue, number> | null {
    return this.negotiated;
  }

  async connect(): Promise<void> {
    if (this.state !== 'idle') throw new Error(`connect() called on a connection that is ${this.state}`);
    this.state = 'connecting';
    const socket = await this.openSocket();
    if (this.isClosed()) {
      socket.destroy();
      throw new KafkaConnectionError('connection-closed', `connection to ${this.address} was closed while connecting`);
    }
    this.attach(socket);

    const authenticate = this.options.authenticate;
    if (authenticate) {
      this.state = 'authenticating';
      try {
        await authenticate({
          send: (apiKey, request, options) => this.dispatch('authenticating', apiKey, request, options),
          negotiate: () => this.negotiateAs('authenticating'),
        });
      } catch (error) {
        this.fail(new KafkaConnectionError('connection-closed', `authentication with ${this.address} failed`, { cause: error }));
        throw error;
      }
      if (this.isClosed()) {
        throw new KafkaConnectionError('connection-closed', `connection to ${this.address} closed during authentication`);
      }
    }
    this.state = 'ready';
  }

  send<K extends ApiKeyValue>(apiKey: K, request: RequestByKey[K], options?: SendOptions): Promise<ResponseByKey[K]> {
    return this.dispatch('ready', apiKey, request, options);
  }

  /**
   * For requests the broker does not answer: Produce with acks=0. Resolves once the bytes
   * are handed to the socket.
   */
  async sendWithoutResponse<K extends ApiKeyValue>(
    apiKey: K,
    request: RequestByKey[K],
    options: Pick<SendOptions, 'version'> = {},
  ): Promise<void> {
    const socket = this.writableSocket('ready', apiKey);
    const version = options.version ?? this.versionFor(apiKey);
    const chunks = encodeRequestFrame(apiKey, version, this.takeCorrelationId(), this.clientId, request);
    await new Promise<void>((resolve, reject) => {
      this.write(socket, chunks, (error) =>
        error
          ? reject(new KafkaConnectionError('connection-closed', `could not write to ${this.address}`, { cause: error }))
          : resolve(),
      );
    });
  }

  /**
   * Asks the broker for its version ranges and picks, per API, the highest version both
   * sides support. If the broker does not know our ApiVersions version it answers in v0
   * with its own range (KIP-511), and we ask once more within it.
   */
  negotiate(): Promise<ReadonlyMap<ApiKeyValue, number>> {
    return this.negotiateAs('ready');
  }

  /** The negotiated version for an API; throws 'no-common-version' when there is none. */
  versionFor(apiKey: ApiKeyValue): number {
    if (!this.negotiated) {
      throw new Error(`no version given for api key ${apiKey} and negotiate() has not run`);
    }
    const version = this.negotiated.get(apiKey);
    if (version === undefined) {
      throw new KafkaConnectionError(
        'no-common-version',
        `broker ${this.address} supports no version of api key ${apiKey} that Samsa supports`,
      );
    }
    return version;
  }

  /** Fails requests still in flight with 'connection-closed', then closes the socket. */
  async close(): Promise<void> {
    const socket = this.socket;
    if (!this.isClosed()) {
      this.state = 'closed';
      this.rejectAll(new KafkaConnectionError('connection-closed', `connection to ${this.address} was closed by the client`));
      if (socket && !socket.destroyed) {
        socket.end();
        const grace = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
        grace.unref();
        void this.socketClosed.then(() => clearTimeout(grace));
      }
    }
    await this.socketClosed;
  }

  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private openSocket(): Promise<net.Socket> {
    const { host, port } = this.options;
    const timeoutMs = this.options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
    return new Promise((resolve, reject) => {
      const socket = this.options.tls ? tls.connect({ ...this.options.tls, host, port }) : net.connect({ host, port });
      const readyEvent = this.options.tls ? 'secureConnect' : 'connect';
      const cleanUp = () => {
        clearTimeout(timer);
        socket.off(readyEvent, onReady);
        socket.off('error', onError);
      };
      const fail = (message: string, cause?: unknown) => {
        cleanUp();
        socket.destroy();
        reject(new KafkaConnectionError('connect-failed', message, { cause }));
      };
      const onReady = () => {
        cleanUp();
        resolve(socket);
      };
      const onError = (error: Error) => fail(`could not connect to ${host}:${port}: ${error.message}`, error);
      const timer = setTimeout(() => fail(`could not connect to ${host}:${port} within ${timeoutMs} ms`), timeoutMs);
      socket.once(readyEvent, onReady);
      socket.once('error', onError);
    });
  }

  private attach(socket: net.Socket): void {
    this.socket = socket;
    // Requests are small and latency-bound; Nagle would hold a pipelined request back.
    socket.setNoDelay(true);
    this.socketClosed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => {
      this.lastSocketError = error;
    });
    socket.on('close', () => {
      if (this.isClosed()) return;
      const cause = this.lastSocketError;
      this.fail(
        new KafkaConnectionError(
          'connection-closed',
          `broker ${this.address} closed the connection${cause ? `: ${cause.message}` : ''}`,
          { cause },
        ),
      );
    });
  }

  private onData(chunk: Buffer): void {
    const { frames, error } = this.splitter.push(chunk);
    for (const frame of frames) {
      if (this.isClosed()) return;
      this.onFrame(frame);
    }
    if (error && !this.isClosed()) {
      this.fail(new KafkaConnectionError('protocol-error', `broker ${this.address} sent ${describeFrameError(error)}`));
    }
  }

  private onFrame(frame: Buffer): void {
    const entry = this.inFlight.shift();
    if (!entry) {
      this.fail(new KafkaConnectionError('protocol-error', `broker ${this.address} sent a response to no request`));
      return;
    }
    clearTimeout(entry.timer);
    const result = decodeResponseFrame(entry.apiKey, entry.version, frame);
    const correlationId = result.ok ? result.correlationId : result.error.kind === 'malformed' ? result.error.correlationId : null;
    if (correlationId !== null && correlationId !== entry.correlationId) {
      // The FIFO and the broker disagree: every later match would be wrong too.
      this.inFlight.unshift(entry);
      this.fail(
        new KafkaConnectionError(
          'protocol-error',
          `broker ${this.address} answered correlation id ${correlationId} while ${entry.correlationId} was next`,
        ),
      );
      return;
    }
    if (result.ok) {
      entry.resolve(result.body);
    } else {
      // The frame boundaries are intact, so only this request is lost; the connection stays.
      const detail = result.error.kind === 'malformed' ? result.error.error.message : result.error.kind;
      entry.reject(
        new KafkaConnectionError(
          'protocol-error',
          `could not decode the response to api key ${entry.apiKey} v${entry.version} from ${this.address}: ${detail}`,
          { cause: result.ok ? undefined : result.error },
        ),
      );
    }
  }

  private async negotiateAs(phase: Phase): Promise<ReadonlyMap<ApiKeyValue, number>> {
    const ours = apiDescriptor(ApiKey.ApiVersions)!;
    let version = ours.maxVersion;
    let response = await this.requestApiVersions(phase, version);
    if (response.errorCode === ErrorCode.UNSUPPORTED_VERSION) {
      const theirs = response.apiKeys.find((entry) => entry.apiKey === ApiKey.ApiVersions);
      const retry = theirs ? Math.min(theirs.maxVersion, ours.maxVersion) : -1;
      if (!theirs || retry >= version || retry < Math.max(theirs.minVersion, ours.minVersion)) {
        throw new KafkaConnectionError(
          'no-common-version',
          `broker ${this.address} supports no ApiVersions version that Samsa supports`,
        );
      }
      version = retry;
      response = await this.requestApiVersions(phase, version);
    }
    if (response.errorCode !== ErrorCode.NONE) {
      throw new KafkaError(response.errorCode, `ApiVersions v${version} to ${this.address}`);
    }

    const versions = new Map<ApiKeyValue, number>();
    for (const theirs of response.apiKeys) {
      const descriptor = apiDescriptor(theirs.apiKey);
      if (!descriptor) continue;
      const best = Math.min(descriptor.maxVersion, theirs.maxVersion);
      if (best >= Math.max(descriptor.minVersion, theirs.minVersion)) versions.set(descriptor.key, best);
    }
    this.negotiated = versions;
    return versions;
  }

  private requestApiVersions(phase: Phase, version: number): Promise<ResponseByKey[typeof ApiKey.ApiVersions]> {
    return this.dispatch(
      phase,
      ApiKey.ApiVersions,
      {
        clientSoftwareName: this.options.softwareName ?? DEFAULTS.softwareName,
        clientSoftwareVersion: this.options.softwareVersion ?? DEFAULTS.softwareVersion,
      },
      { version },
    );
  }

  private async dispatch<K extends ApiKeyValue>(
    phase: Phase,
    apiKey: K,
    request: RequestByKey[K],
    options: SendOptions = {},
  ): Promise<ResponseByKey[K]> {
    const socket = this.writableSocket(phase, apiKey);
    const version = options.version ?? this.versionFor(apiKey);
    const correlationId = this.takeCorrelationId();
    const chunks = encodeRequestFrame(apiKey, version, correlationId, this.clientId, request);
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs;

    return new Promise<ResponseByKey[K]>((resolve, reject) => {
      this.inFlight.push({
        correlationId,
        apiKey,
        version,
        resolve: resolve as (body: unknown) => void,
        reject,
        // A late answer is still consumed (see InFlight.timer), so one slow request does not
        // cost the connection or the requests pipelined behind it.
        timer: setTimeout(() => {
          reject(
            new KafkaConnectionError(
              'timeout',
              `no response from ${this.address} to api key ${apiKey} v${version} within ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs),
      });
      this.write(socket, chunks);
    });
  }

  private writableSocket(phase: Phase, apiKey: ApiKeyValue): net.Socket {
    if (this.state !== phase || !this.socket || this.socket.destroyed) {
      const why = this.state === 'closed' ? 'is closed' : `is not ready (${this.state})`;
      throw new KafkaConnectionError('not-connected', `cannot send api key ${apiKey}: connection to ${this.address} ${why}`);
    }
    return this.socket;
  }

  /** One corked batch, so the chunks of a frame leave in a single writev. */
  private write(socket: net.Socket, chunks: Buffer[], done?: (error?: Error | null) => void): void {
    socket.cork();
    chunks.forEach((chunk, index) => socket.write(chunk, index === chunks.length - 1 ? done : undefined));
    socket.uncork();
  }

  private takeCorrelationId(): number {
    const id = this.nextCorrelationId;
    this.nextCorrelationId = id === MAX_CORRELATION_ID ? 0 : id + 1;
    return id;
  }

  /** The connection cannot go on: fail everything in flight and drop the socket. */
  private fail(error: KafkaConnectionError): void {
    this.state = 'closed';
    this.rejectAll(error);
    this.socket?.destroy();
  }

  private rejectAll(error: KafkaConnectionError): void {
    for (const entry of this.inFlight.splice(0)) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
  }
}

function describeFrameError(error: FrameError): string {
  switch (error.kind) {
    case 'frame-too-large':
      return `a ${error.size}-byte response, over the ${error.maxFrameBytes}-byte limit (is this really a Kafka listener?)`;
    case 'negative-frame-size':
      return `a response with negative size ${error.size}`;
  }
}
