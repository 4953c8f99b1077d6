/**
 * Public API of compose-cdk8s: the Compose loader and its normalized model, the cdk8s
 * constructs, the offline manifest validator, the output helpers the CLI uses, and the stack's
 * diagram.
 */
export * from './compose';
export { ComposeChart, kubernetesNames, type ComposeChartProps, type ComposeTarget } from './chart/compose-chart';
export { ComposeServiceConstruct, type ComposeServiceProps, type KeyExplanation } from './chart/service-construct';
export { addExposure, type StackExposure } from './chart/exposure';
export { komposeLabels, KOMPOSE_LABELS, type KomposeLabels, type KomposeOptions } from './translate/kompose-labels';
export {
  formatProblem,
  readManifestFiles,
  validateManifests,
  validateSchema,
  type ManifestInput,
  type ManifestProblem,
  type ValidateOptions,
} from './validate';
export { composeStackFiles, stackFiles, writeCharts, writeStack, type StackOutputOptions } from './output/stack';
export { layoutFile, type LayoutStore } from './diagram/layout-cache';
export { renderManifests, serialize, type ManifestFormat } from './output/render';
export { stringifyDocuments } from './output/yaml';
export { targetFiles, stackPlan } from './targets/files';
export { helmChartFiles, writeHelmChart } from './helm';
export { stackGraph, renderMermaid, renderDot, renderSvg, dotToSvg } from './diagram';
export type {
  StackGraph,
  ServiceNode,
  EntryNode,
  StorageNode,
  DiagramEdge,
  NetworkGroup,
  Label as DiagramLabel,
} from './diagram';
export { runCli } from './cli/main';
