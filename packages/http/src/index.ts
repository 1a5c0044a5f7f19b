export { createHttpServer, HttpServer } from './http-server.ts';
export type { CloseResult, HttpServerState } from './http-server.ts';
export type { HttpServerOptions, TimeoutOptions, CompressionOptions, OpenApiOptions } from './options.ts';
export {
  Controller,
  Get,
  Post,
  Put,
  Patch,
  Delete,
  Head,
  Options,
  Version,
  UseGuards,
  UseInterceptors,
  UseFilters,
  UseHooks,
  Deprecated,
  Catch,
  controllerOf,
} from './decorators.ts';
export { defineController, defineRoute, defineFilter } from './define.ts';
export type { ErrorClass, FilterDefinition, RouteInit } from './define.ts';
export { VERSION_NEUTRAL } from './types.ts';
export type {
  ControllerClass,
  ControllerDefinition,
  ControllerOptions,
  DeprecationSpec,
  ExceptionFilter,
  FilterContext,
  FilterLike,
  Guard,
  Handler,
  Hook,
  Hooks,
  HttpMethod,
  Interceptor,
  RouteContext,
  RouteDefinition,
  RouteOptions,
  RouteOptionsBase,
  RouteSchema,
  VersionSpec,
} from './types.ts';
export type { FromSchema, JsonSchema } from './schema-types.ts';
export {
  HttpException,
  BadRequestException,
  UnauthorizedException,
  ForbiddenException,
  NotFoundException,
  MethodNotAllowedException,
  ConflictException,
  GoneException,
  PayloadTooLargeException,
  UnprocessableEntityException,
  TooManyRequestsException,
  InternalServerException,
  ServiceUnavailableException,
  ValidationException,
} from './exceptions.ts';
export type { HttpExceptionOptions, InvalidField } from './exceptions.ts';
export { HttpError, HTTP_ERRORS } from './errors.ts';
export type { HttpErrorCode, HttpErrorCategory } from './errors.ts';
export { renderProblem, PROBLEM_CONTENT_TYPE } from './problem-details.ts';
export type { Problem, ProblemContext, RenderedProblem } from './problem-details.ts';
export { isValidRequestId, MAX_REQUEST_ID_LENGTH } from './request-id.ts';
export { refuseEncodedBody } from './content-encoding.ts';
export { HTTP_REQUEST_CHANNEL } from './diagnostics.ts';
export type { HttpRequestEvent } from './diagnostics.ts';
export type { VersioningOptions, UriVersioning, HeaderVersioning, MediaTypeVersioning, CustomVersioning } from './versioning.ts';
export { HttpModule, HTTP_SERVER } from './http-module.ts';
export type { HttpModuleOptions } from './http-module.ts';
export { handleShutdownSignals } from './shutdown-signals.ts';
export type { ShutdownSignalOptions, Stoppable } from './shutdown-signals.ts';
