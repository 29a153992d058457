// "Correlate" links: from any label set that names a pod (namespace + pod) or a node to the
// Correlation page, which shows its CPU, memory, logs and events on one time axis. Used by the
// Query table, Logs lines, Alerts and Events pages. API:
//   correlateTarget(labels) -> {pod: 'ns/name'} | {node: 'name'} | null
//   correlateLink(labels, {range, end}?) -> an <a class="correlate"> or null
import { h } from './dom.js';

const POD_KEYS = ['pod', 'pod_name', 'kubernetes_pod_name', 'k8s_pod_name'];
const NAMESPACE_KEYS = ['namespace', 'kubernetes_namespace', 'k8s_namespace_name'];
const NODE_KEYS = ['node', 'nodename', 'kubernetes_node', 'k8s_node_name'];

function first(labels, keys) {
  for (const key of keys) if (labels[key]) return labels[key];
  return '';
}

export function correlateTarget(labels) {
  if (!labels) return null;
  const pod = first(labels, POD_KEYS);
  const namespace = first(labels, NAMESPACE_KEYS);
  if (pod && namespace) return { pod: `${namespace}/${pod}` };
  const node = first(labels, NODE_KEYS);
  if (node) return { node };
  return null;
}

export function correlateLink(labels, window = {}) {
  const target = correlateTarget(labels);
  if (!target) return null;
  const search = new URLSearchParams(target);
  if (window.range) search.set('range', window.range);
  if (window.end) search.set('end', window.end);
  return h('a', { class: 'correlate', href: `/correlate?${search}`, title: `CPU, memory, logs and events of ${target.pod || target.node}` }, 'Correlate');
}
