/** Public API of compose-cdk8s: the Compose loader, the normalized model, and the cdk8s constructs. */
export * from './compose/diagnostics';
export * from './compose/model';
