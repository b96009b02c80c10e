// ApiVersions (API 18): the version ranges this broker serves. Its response header is always
// v0 (handled by the framing layer), and a too-new request is answered in v0 format by the
// request pipeline (KIP-511). v3+ requests carry the client's software name and version,
// which we only log.
import { ApiKey } from '../../../protocol/generated/apis';
import type { ApiVersionsRequest } from '../../../protocol/generated/apiVersionsRequest';
import { defaultApiVersionsResponse } from '../../../protocol/generated/apiVersionsResponse';
import { defineHandler } from '../apiHandler';

export function apiVersionsHandler(supportedApis: () => { apiKey: number; minVersion: number; maxVersion: number }[]) {
  return defineHandler({
    apiKey: ApiKey.ApiVersions,
    minVersion: 0,
    maxVersion: 3,
    handle(_request: ApiVersionsRequest) {
      return { ...defaultApiVersionsResponse(), apiKeys: supportedApis() };
    },
    errorResponse(_request: ApiVersionsRequest, errorCode: number) {
      return { ...defaultApiVersionsResponse(), errorCode, apiKeys: supportedApis() };
    },
  });
}
