export { createApp, Application } from './app.ts';
export type { AppOptions, AppState } from './app.ts';
export { ApplicationFactory, AppRegistry } from './app-registry.ts';
export { defineModule, Module, moduleClass } from './module.ts';
export type { ModuleDefinition, ModuleMetadata, ModuleClass, ModuleContext, Resolver, GetOptions, ConfigChange } from './module.ts';
export { token } from './token.ts';
export type { Token, InjectionKey, Constructor } from './token.ts';
export { provider, optional, named, all, Injectable, injectable } from './provider.ts';
export type { Provider, ValueProvider, FactoryProvider, ClassProvider, InjectableOptions, Dependency, Dep, Resolved } from './provider.ts';
export { SCOPES } from './scope.ts';
export type { Scope } from './scope.ts';
export { LOGGER, APP, TENANT } from './builtins.ts';
export type { TenantContext, TenancyOptions } from './tenancy.ts';
export { LIFECYCLE_CHANNEL } from './events.ts';
export type { LifecycleEvent, LifecycleEventType, Observer, ObserverObject } from './events.ts';
export { toCloudEvent, cloudEventsObserver, CLOUDEVENTS_CONTENT_TYPE } from './cloudevents.ts';
export type { CloudEvent, CloudEventOptions, LifecycleEventData } from './cloudevents.ts';
export { logging, observable, tenantAware, orderDecorators, HOOK_CHANNEL } from './module-decorators.ts';
export type { ModuleDecorator, HookObservation } from './module-decorators.ts';
export type { HealthStatus, HealthCheck, ModuleHealth, AppHealth } from './health.ts';
export type { HookTimeouts, ModuleState } from './lifecycle.ts';
export type { AppInspection, ModuleInspection, ServiceInspection } from './inspect.ts';
export { createJsonLogger, silentLogger } from './logger.ts';
export type { Logger, LogFn, LogLevel, JsonLoggerOptions } from './logger.ts';
export {
  RampartError,
  ConfigError,
  ValidationError,
  DependencyError,
  LifecycleError,
  SecurityError,
  isRampartError,
  causeChain,
  RAMPART_ERROR,
} from './rampart-error.ts';
export type { ErrorCategory, RampartErrorOptions, RampartErrorJSON } from './rampart-error.ts';
export { CORE_ERRORS, defineErrors, errorFrom } from './errors.ts';
export type { CoreErrorCode, ErrorSpec } from './errors.ts';
export { CORE_VERSION } from './version.ts';
