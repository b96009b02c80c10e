export { encodeRequestFrame, decodeResponseFrame, type ResponseFrameError, type ResponseFrameResult } from './frames';
export {
  KafkaConnection,
  type KafkaConnectionOptions,
  type RequestChannel,
  type SendOptions,
} from './kafkaConnection';
export { KafkaConnectionError, isKafkaConnectionError, type ConnectionErrorKind } from './connectionError';
